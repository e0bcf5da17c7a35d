import { ApiProblem } from '../common/api-problem';

/**
 * A restore checks keys before writing, so a constraint violation (or a
 * deadlock) at write time means another writer changed the same rows
 * concurrently: a 409 to retry, not a 500. Anything else stays as it is.
 */
export function asRestoreConflict(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof ApiProblem) return error;
  const { code: own, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = own ?? driverError?.code;
  const postgres = code === '23505' || code === '23503' || code === '40P01' || code === '40001';
  const sqlite = typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
  if (!postgres && !sqlite) return error;
  return new ApiProblem(409, 'concurrent_change', `a concurrent change conflicted with the restore; nothing was changed, send it again (${error.message})`);
}

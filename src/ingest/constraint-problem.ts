import { ApiProblem } from '../common/api-problem';

/**
 * The pipeline checks keys before writing, so a constraint violation at write
 * time means another writer changed the same rows concurrently: a 409, not a 500.
 */
export function asConstraintProblem(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { code: own, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = own ?? driverError?.code;
  const postgres = code === '23505' || code === '23503';
  const sqlite = typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
  if (!postgres && !sqlite) return error;
  return new ApiProblem(409, 'concurrent_change', `a concurrent change conflicted with this ingestion; nothing was written (${error.message})`);
}

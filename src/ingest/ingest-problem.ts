import { ApiProblem } from '../common/api-problem';
import { databaseUnavailable } from '../database/database-unavailable';

/**
 * What a database error means for an ingestion. The pipeline checks keys
 * before writing, so a constraint violation at write time means another
 * writer changed the same rows concurrently: a 409, not a 500. A lost
 * connection is a 503 (retry). Anything else stays as it is.
 */
export function asIngestProblem(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const unavailable = databaseUnavailable(error);
  if (unavailable) return unavailable;
  const { code: own, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = own ?? driverError?.code;
  // Unique and foreign-key violations; deadlocks and serialization failures between concurrent loads.
  const postgres = code === '23505' || code === '23503' || code === '40P01' || code === '40001';
  const sqlite = typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
  if (!postgres && !sqlite) return error;
  return new ApiProblem(
    409,
    'concurrent_change',
    `a concurrent change conflicted with this ingestion; nothing was written, send it again (${error.message})`,
  );
}

import { ApiProblem } from '../common/api-problem';

// PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01–57P03
// (terminated by an administrator, crash shutdown, cannot connect now), 3D000
// (the database does not exist, e.g. dropped) and class 28 (authentication
// refused): whatever the cause, clients can only retry later.
const POSTGRES_UNAVAILABLE = /^(08|57P0[1-3]|3D000|28)/;
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
// node-postgres reports a dropped connection or an exhausted connect timeout by message only.
const DRIVER_MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed/i;

/**
 * The database could not be reached or dropped the connection mid-way: the
 * request failed through no fault of its own, and nothing it did was committed.
 * A 503 tells clients and load balancers to retry, unlike a 500.
 */
export function databaseUnavailable(error: unknown): ApiProblem | null {
  if (!(error instanceof Error)) return null;
  const { code: own, driverError } = error as { code?: unknown; driverError?: { code?: unknown; message?: unknown } };
  const code = String(own ?? driverError?.code ?? '');
  if (code === 'SQLITE_BUSY') {
    return new ApiProblem(503, 'database_busy', 'the database is busy with another writer; nothing of this request was committed. Retry shortly.');
  }
  const lost = POSTGRES_UNAVAILABLE.test(code) || SOCKET_ERRORS.has(code) || DRIVER_MESSAGES.test(error.message);
  if (!lost) return null;
  return new ApiProblem(
    503,
    'database_unavailable',
    `the database connection failed (${error.message}); nothing of this request was committed. Retry shortly.`,
  );
}

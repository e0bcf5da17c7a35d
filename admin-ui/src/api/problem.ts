import type { Problem, RowError } from './types';

/** What the UI shows of a failed call: RFC 9457 fields, plus the row errors some problems carry. */
export interface ShownProblem {
  readonly title: string;
  readonly detail: string;
  readonly status: number;
  readonly type?: string;
  readonly errors?: readonly RowError[];
  readonly requestId?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns whatever an error answer held into something showable: the API's
 * problem details as they are, and a readable stand-in when a proxy or a
 * crash answered with something else, so no failure ends in a blank page.
 */
export function toProblem(body: unknown, status: number, statusText = ''): ShownProblem {
  if (isRecord(body) && typeof body.title === 'string') {
    const problem = body as Partial<Problem> & { errors?: unknown };
    return {
      title: problem.title ?? 'Error',
      detail: typeof problem.detail === 'string' ? problem.detail : '',
      status: typeof problem.status === 'number' ? problem.status : status,
      type: typeof problem.type === 'string' ? problem.type : undefined,
      errors: Array.isArray(problem.errors) ? (problem.errors as RowError[]) : undefined,
      requestId: typeof problem.request_id === 'string' ? problem.request_id : undefined,
    };
  }
  const text = typeof body === 'string' ? body.trim().slice(0, 300) : '';
  return { title: statusText || `HTTP ${status}`, detail: text || `The service answered ${status} without details.`, status };
}

/** A call that never got an answer (offline, server down, request blocked). */
export function networkProblem(error: unknown): ShownProblem {
  const reason = error instanceof Error ? error.message : String(error);
  return { title: 'The service could not be reached', detail: `${reason}. Check that it is running, then try again.`, status: 0 };
}

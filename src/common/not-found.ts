import { ApiProblem } from './api-problem';

/** The value, or a 404 naming what was looked for. */
export function found<T>(value: T | null, what: string, id: number): T {
  if (value === null) throw new ApiProblem(404, 'not_found', `${what} ${id} does not exist`);
  return value;
}

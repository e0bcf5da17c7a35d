import { describe, expect, it } from 'vitest';
import { networkProblem, toProblem } from '../src/api/problem';

describe('toProblem', () => {
  it('keeps the API\'s problem details, with row errors and the request id', () => {
    const body = {
      type: '/problems/rows_rejected',
      title: 'Unprocessable Content',
      status: 422,
      detail: '4 rows were rejected',
      request_id: 'req-1',
      errors: [{ line: 3, column: 'name', value: '', code: 'required', message: 'name is required' }],
    };
    expect(toProblem(body, 422)).toEqual({
      type: '/problems/rows_rejected',
      title: 'Unprocessable Content',
      status: 422,
      detail: '4 rows were rejected',
      requestId: 'req-1',
      errors: body.errors,
    });
  });

  it('makes something readable of an answer that is not problem details (a proxy\'s HTML page)', () => {
    expect(toProblem('<html>Bad gateway</html>', 502, 'Bad Gateway')).toEqual({ title: 'Bad Gateway', detail: '<html>Bad gateway</html>', status: 502 });
    expect(toProblem(undefined, 500)).toMatchObject({ title: 'HTTP 500', detail: expect.stringContaining('500') });
  });

  it('says when the service could not be reached', () => {
    expect(networkProblem(new TypeError('Failed to fetch'))).toMatchObject({ status: 0, title: 'The service could not be reached' });
  });
});

import { Agent, request } from 'node:http';
import { get, postJson } from '../harness/http';
import { BASE_REFERENCES, expectProblem, postRaw, seed, snapshot, uploadCsv } from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

/** What the fuzz test (fuzz.e2e-spec.ts) found, each kept as a plain test. */
describe('fuzz findings', () => {
  const app = useTestApp();

  /** A batch whose one name is an array nested `depth` deep. */
  const deepBatch = (depth: number): string => `{"rows":[{"id":1,"name":${'['.repeat(depth)}"x"${']'.repeat(depth)}}]}`;

  // Found: a JSON body nested ~5,000 deep overflowed the stack in class-transformer (500).
  it.each([
    ['/departments/batch', deepBatch(20_000)],
    ['/employees/batch', `{"rows":[${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]}`],
    ['/backups', `{"tables":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
    ['/backups/1/restore', `{"mode":"merge","tables":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
  ])('answers 400 to a body nested thousands deep on %s, and keeps serving', async (path, body) => {
    await seed(app, BASE_REFERENCES);
    const before = await snapshot(app);
    const res = await postRaw(app.baseUrl, path, body, 'application/json');
    expectProblem(res, 400, '/problems/invalid_request');
    expect(res.body.detail).toContain('nests more than 32');
    expect((await get(app.baseUrl, '/health/live')).status).toBe(200);
    expect(await snapshot(app)).toEqual(before);
  });

  describe('an upload refused before its body was read to the end, on a kept-alive connection', () => {
    // Found: a large upload refused for a bad option answered 400, but the rest of its body was never read
    // (the file stayed piped into a stream nobody read): the next request on that connection never got an answer.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    afterAll(() => agent.destroy());

    /** One request on the agent's one connection; rejects if no answer comes within 5 s. */
    function send(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<{ status: number; text: string }> {
      return new Promise((resolve, reject) => {
        const req = request(`${app.baseUrl}${path}`, { method, agent, headers, timeout: 5_000 }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 5 s`)));
        req.on('error', reject);
        req.end(body);
      });
    }

    /** A part of a multipart body: a text field, or a file of `bytes` bytes of department rows. */
    type Part = { name: string; value: string } | { name: string; bytes: number };
    const field = (name: string, value: string): Part => ({ name, value });
    const file = (bytes: number, name = 'file'): Part => ({ name, bytes });

    function multipart(parts: Part[]): { headers: Record<string, string>; body: Buffer } {
      const boundary = 'regressionBoundary';
      const line = '9999,Filler\n';
      const body = Buffer.from(
        parts
          .map((part) =>
            'value' in part
              ? `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`
              : `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="big.csv"\r\n\r\n${line.repeat(Math.ceil(part.bytes / line.length))}\r\n`,
          )
          .join('') + `--${boundary}--\r\n`,
      );
      return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) }, body };
    }

    const MB = 1024 * 1024;
    it.each([
      ['a bad option field', '/departments/upload', [field('mode', 'bogus'), file(MB)], {}],
      ['a bad option in the query', '/departments/upload?on_error=bogus', [file(MB)], {}],
      ['no table for /ingest/csv', '/ingest/csv', [file(MB)], {}],
      ['an Idempotency-Key used on another endpoint (409)', '/jobs/upload', [file(MB)], { 'idempotency-key': 'regression-key' }],
      // Found next: past a multipart limit the parser stops reading the request, and nothing read the rest.
      ['a second file', '/departments/upload', [file(10), file(MB)], {}],
      ['more text fields than allowed', '/departments/upload', [...Array.from({ length: 30 }, (_, i) => field(`f${i}`, 'x')), file(MB)], {}],
      ['a text field over its limit', '/departments/upload', [field('mode', 'x'.repeat(20_000)), file(MB)], {}],
      ['a text field in a backup upload', '/backups/upload', [field('note', 'x'), file(MB, 'departments')], {}],
      ['a backup file for no table', '/backups/upload', [file(MB, 'nope')], {}],
    ] as [string, string, Part[], Record<string, string>][])('%s: the connection answers the next requests', async (_label, path, parts, headers) => {
      const first = multipart([file(10)]);
      expect((await send('POST', '/departments/upload', { ...first.headers, 'idempotency-key': 'regression-key' }, first.body)).status).toBe(201);
      const upload = multipart(parts);
      const refused = await send('POST', path, { ...upload.headers, ...headers }, upload.body);
      expect([400, 409, 413, 422]).toContain(refused.status);
      expect((await send('GET', '/health/live')).status).toBe(200);
      expect((await send('GET', '/departments')).status).toBe(200);
      const small = multipart([field('mode', 'upsert'), file(10)]);
      expect((await send('POST', '/departments/upload', small.headers, small.body)).status).toBe(201);
      expect(await snapshot(app)).toEqual({ departments: [{ id: 9999, name: 'Filler' }], jobs: [], employees: [] });
    });
  });

  // Found: a record over the 1 MiB limit went to the parser whole when it ended in the chunk that took it past
  // the limit; a million cells in it took the parsing thread's whole heap, and the upload answered 500.
  it.each([
    ['a record over 1 MiB', `12,Nurse\n2,M"${'a'.repeat(1_100_000)}nager\n`, 'record_too_long'],
    ['a record of a million cells under 1 MiB', `12,Nurse\n2,${','.repeat(1_048_000)}x\n`, 'too_many_cells'],
    ['a record of 20,001 cells', `12,Nurse\n2,${','.repeat(19_999)}x\n`, 'too_many_cells'],
  ])('answers 400 to %s, whichever thread parses it', async (_label, file, code) => {
    await seed(app, BASE_REFERENCES);
    const before = await snapshot(app);
    const res = await uploadCsv(app, 'jobs', file, { query: { on_error: 'skip' } });
    expectProblem(res, 400, `/problems/${code}`);
    expect(res.body.line).toBe(2);
    expect((await get(app.baseUrl, '/health/live')).status).toBe(200);
    expect(await snapshot(app)).toEqual(before);
  });

  it('still reports a wrongly nested value a few levels deep as a row error', async () => {
    const res = await postJson(app.baseUrl, '/departments/batch', JSON.parse(deepBatch(5)));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ row: 0, column: 'name', code: 'invalid_text' })]);
  });
});

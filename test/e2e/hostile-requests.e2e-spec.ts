import { useTestApp } from '../harness/test-app';
import { get, postJson, upload } from '../harness/http';
import {
  BASE_REFERENCES,
  EMPTY_SNAPSHOT,
  csv,
  expectProblem,
  ingestionRecords,
  postRaw,
  seed,
  snapshot,
  uploadCsv,
} from '../harness/ingest-helpers';

const BOUNDARY = 'xyz';

/** A multipart body written by hand, exactly as a broken or unusual client would send it. */
function rawMultipart(app: { baseUrl: string }, path: string, body: string): Promise<Response> {
  return fetch(app.baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body,
    signal: AbortSignal.timeout(15_000),
  });
}

function filePart(name: string, filename: string, content: string): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n\r\n${content}\r\n`;
}

describe('malformed and hostile requests', () => {
  const app = useTestApp();

  describe('multipart bodies', () => {
    it('answers 400 to a body without its closing boundary, writes nothing and frees the connection', async () => {
      for (let i = 0; i < 12; i++) {
        // More than the connection pool holds: a leaked transaction would hang the later ones.
        const res = await rawMultipart(app, '/departments/upload', `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n9950,Trunc\n`);
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ type: '/problems/truncated_upload' });
      }
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
      expect((await get(app.baseUrl, '/health')).status).toBe(200);
      const records = await ingestionRecords(app);
      expect(records.every((r) => r.status === 'failed')).toBe(true);
    });

    it('answers an error found early in a large upload, and the server keeps serving', async () => {
      // 8 MB after a broken second line: more than socket buffers hold, so the rest must be drained.
      const big = Buffer.concat([Buffer.from('1,Sales\n2,'), Buffer.from([0xff]), Buffer.from('\n'), Buffer.alloc(8 * 1024 * 1024, '3,Filler\n')]);
      const res = await upload(app.baseUrl, '/departments/upload', big);
      expectProblem(res, 400, '/problems/invalid_encoding');
      expect(res.body.line).toBe(2);
      expect((await get(app.baseUrl, '/health/live')).status).toBe(200);
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('answers 400 to a multipart content type without a boundary', async () => {
      expectProblem(await postRaw(app.baseUrl, '/departments/upload', 'garbage', 'multipart/form-data'), 400, '/problems/invalid_multipart');
    });

    it('requires the file in the field "file"', async () => {
      const res = await rawMultipart(app, '/departments/upload', `${filePart('other', 'a.csv', '1,Sales')}--${BOUNDARY}--\r\n`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: '/problems/unexpected_file_field' });
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('refuses an option sent after the file instead of ignoring it, and writes nothing', async () => {
      const body = `${filePart('file', 'a.csv', '1,Sales')}--${BOUNDARY}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nupsert\r\n--${BOUNDARY}--\r\n`;
      const res = await rawMultipart(app, '/departments/upload', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: '/problems/late_option', detail: expect.stringContaining('"mode"') });
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('accepts a field it does not know after the file', async () => {
      const body = `${filePart('file', 'a.csv', '1,Sales')}--${BOUNDARY}\r\nContent-Disposition: form-data; name="submit"\r\n\r\nUpload\r\n--${BOUNDARY}--\r\n`;
      expect((await rawMultipart(app, '/departments/upload', body)).status).toBe(201);
    });

    it('stores a file name holding a NUL byte without failing', async () => {
      const res = await rawMultipart(app, '/departments/upload', `${filePart('file', 'bad\u0000name.csv', '1,Sales')}--${BOUNDARY}--\r\n`);
      expect(res.status).toBe(201);
      expect(((await res.json()) as { source: string }).source).toBe('bad\uFFFDname.csv');
    });
  });

  describe('bodies of the wrong kind', () => {
    it.each(['text/plain', 'application/x-www-form-urlencoded'])('answers 415 to a %s batch', async (type) => {
      expectProblem(await postRaw(app.baseUrl, '/departments/batch', 'rows=1', type), 415, '/problems/unsupported_media_type');
    });

    it('rejects a name with a lone surrogate as invalid_text', async () => {
      const res = await postRaw(app.baseUrl, '/departments/batch', '{"rows":[{"id":1,"name":"\\ud800"}]}', 'application/json');
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ row: 0, column: 'name', code: 'invalid_text' })]);
    });
  });

  describe('numbers at the edges', () => {
    it.each(['/departments', '/jobs', '/employees', '/ingestions'])('answers 400 to an offset past 2^31 on %s', async (path) => {
      expectProblem(await get(app.baseUrl, `${path}?offset=99999999999999999999`), 400, '/problems/invalid_request');
    });

    it('filters and counts hires in year 9999 the same way as any year', async () => {
      await seed(app, BASE_REFERENCES);
      const last = { id: 1, name: 'Last', hire_date: '9999-12-31T23:59:59.999Z', department_id: 1, job_id: 1 };
      expect((await postJson(app.baseUrl, '/employees/batch', { rows: [last] })).status).toBe(201);
      const filtered = await get(app.baseUrl, '/employees?hired_to=9999-12-31');
      expect(filtered.status).toBe(200);
      expect(filtered.body.items).toEqual([last]);
      const quarters = await get(app.baseUrl, '/metrics/hiring_by_quarter');
      expect(quarters.headers.get('x-metrics-year')).toBe('9999');
      expect(quarters.body).toEqual([expect.objectContaining({ Q1: 0, Q4: 1 })]);
    });
  });

  describe('spreadsheet habits', () => {
    it('ignores a trailing delimiter on every line', async () => {
      const res = await uploadCsv(app, 'departments', csv('id;name;', '1;Sales;', '2;Legal;'), { query: { delimiter: ';' } });
      expect(res.status).toBe(201);
      expect(res.body.inserted).toBe(2);
    });

    it('suggests the delimiter when a header is one cell of ;-separated names', async () => {
      const res = await uploadCsv(app, 'departments', csv('ID;Department Name', '1;Sales'));
      expectProblem(res, 400, '/problems/unknown_column');
      expect(res.body.detail).toContain('send delimiter=;');
    });

    it('names the line of invalid UTF-8 in a file with CR line endings', async () => {
      const res = await upload(app.baseUrl, '/departments/upload', Buffer.concat([Buffer.from('id,name\r1,A\r2,B'), Buffer.from([0xe9]), Buffer.from('\r')]));
      expectProblem(res, 400, '/problems/invalid_encoding');
      expect(res.body.line).toBe(3);
    });
  });
});

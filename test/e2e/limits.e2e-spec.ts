import { connect } from 'node:net';
import { TestApp, useTestApp } from '../harness/test-app';
import { HttpResult, get, postJson } from '../harness/http';
import { startStreamingUpload } from '../harness/streaming-upload';
import { employeeLines, seedReferences, uploadUntilWriting } from '../harness/upload-in-flight';
import {
  EMPTY_SNAPSHOT,
  csv,
  errorCodes,
  expectProblem,
  expectReport,
  expectRowsRejected,
  ingestionRecords,
  postBatch,
  BASE_REFERENCES,
  seed,
  snapshot,
  tableRows,
  uploadCsv,
} from '../harness/ingest-helpers';

const MAX_UPLOAD_BYTES = 200;
const CHUNK_ROWS = 2;
const MAX_REJECTS_KEPT = 3;

/**
 * An app with tiny limits: uploads of at most 200 bytes, rows written two at a
 * time (so small files span several chunks) and three rejects kept.
 */
describe('limits: upload size, chunked writes, kept rejects', () => {
  const app = useTestApp((c) => ({
      ...c,
      ingest: { ...c.ingest, maxUploadBytes: MAX_UPLOAD_BYTES, chunkRows: CHUNK_ROWS, maxRejectsKept: MAX_REJECTS_KEPT },
    }));

  /** A departments file of exactly `bytes` bytes: one row whose name pads it out. */
  function fileOfSize(bytes: number): string {
    const prefix = '1,';
    return `${prefix}${'x'.repeat(bytes - prefix.length - 1)}\n`;
  }

  describe('upload size', () => {
    it('accepts a file of exactly max_upload_bytes', async () => {
      const body = fileOfSize(MAX_UPLOAD_BYTES);
      const res = await uploadCsv(app, 'departments', body);

      expectReport(res, { status: 'succeeded', inserted: 1, detected: { bytes: MAX_UPLOAD_BYTES } });
      await expect(tableRows(app, 'departments')).resolves.toEqual([{ id: 1, name: 'x'.repeat(197) }]);
    });

    it('answers 413 for one byte more, and writes nothing', async () => {
      const res = await uploadCsv(app, 'departments', fileOfSize(MAX_UPLOAD_BYTES + 1));

      expectProblem(res, 413, '/problems/payload_too_large');
      expect(res.body.detail).toContain(String(MAX_UPLOAD_BYTES));
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('answers 413 for a much larger file of many valid rows, with on_error=skip too', async () => {
      const rows = Array.from({ length: 200 }, (_, i) => `${i + 1},Department ${i + 1}`);
      const res = await uploadCsv(app, 'departments', csv(...rows), { query: { on_error: 'skip' } });

      expectProblem(res, 413, '/problems/payload_too_large');
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('records the refused upload as a failed ingestion', async () => {
      const res = await uploadCsv(app, 'jobs', fileOfSize(500));

      expect(res.status).toBe(413);
      await expect(ingestionRecords(app)).resolves.toEqual([
        expect.objectContaining({ id: res.body.ingestion_id, table_name: 'jobs', status: 'failed', inserted: 0 }),
      ]);
    });

    it('does not apply the upload limit to JSON batches', async () => {
      const rows = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: `A fairly long department name ${i + 1}` }));
      const res = await postBatch(app, 'departments', { rows });

      expectReport(res, { inserted: 20 });
    });
  });

  describe('rows are written in chunks inside one transaction', () => {
    it('writes nothing when the only bad row is in the last chunk', async () => {
      const res = await uploadCsv(app, 'departments', csv('1,A', '2,B', '3,C', '4,D', '5,'));

      expect(errorCodes(expectRowsRejected(res))).toEqual([{ at: 5, column: 'name', code: 'required' }]);
      expect(res.body.report).toMatchObject({ rows_read: 5, inserted: 0 });
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('writes nothing when a database-checked error is in the last chunk', async () => {
      await seed(app, { departments: [{ id: 1, name: 'Sales' }], jobs: [{ id: 1, title: 'Manager' }] });
      const before = await snapshot(app);
      const res = await uploadCsv(app, 'employees', csv('1,A,2021-01-01,1,1', '2,B,2021-01-01,1,1', '3,C,2021-01-01,1,1', '4,D,2021-01-01,2,1'));

      expect(errorCodes(expectRowsRejected(res))).toEqual([{ at: 4, column: 'department_id', code: 'unknown_department' }]);
      await expect(snapshot(app)).resolves.toEqual(before);
    });

    it('with on_error=skip writes the good rows of every chunk', async () => {
      const res = await uploadCsv(app, 'departments', csv('1,A', '2,', '3,C', '4,D', 'x,E', '6,F'), { query: { on_error: 'skip' } });

      expectReport(res, { status: 'succeeded_with_rejects', rows_read: 6, inserted: 4, rejected: 2 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'A' },
        { id: 3, name: 'C' },
        { id: 4, name: 'D' },
        { id: 6, name: 'F' },
      ]);
    });

    it('insert: an id repeated in a later chunk is a duplicate_id', async () => {
      const res = await uploadCsv(app, 'departments', csv('1,A', '2,B', '3,C', '1,D'), { query: { on_error: 'skip' } });

      expectReport(res, { inserted: 3, rejected: 1 });
      expect(errorCodes(res.body.errors)).toEqual([{ at: 4, column: 'id', code: 'duplicate_id' }]);
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'A' },
        { id: 2, name: 'B' },
        { id: 3, name: 'C' },
      ]);
    });

    it('upsert: the last occurrence wins across chunks', async () => {
      const res = await uploadCsv(app, 'departments', csv('1,A', '2,B', '3,C', '1,D'), { query: { mode: 'upsert' } });

      expectReport(res, { status: 'succeeded', rows_read: 4, inserted: 3, updated: 0, duplicate_in_file: 1 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'D' },
        { id: 2, name: 'B' },
        { id: 3, name: 'C' },
      ]);
    });

    it('upsert of employees: an id repeated in later chunks is counted and the last one wins', async () => {
      await seed(app, { ...BASE_REFERENCES, employees: [{ id: 9, name: 'Old', hire_date: '2020-01-01T00:00:00.000Z', department_id: 1, job_id: 1 }] });
      const res = await uploadCsv(
        app,
        'employees',
        csv('1,A,2021-01-01,1,1', '9,Nine,2021-01-01,1,1', '2,B,2021-01-01,1,1', '1,A2,2021-02-02,1,1', '3,C,2021-01-01,1,1', '1,A3,2021-03-03,1,1'),
        { query: { mode: 'upsert' } },
      );

      // In file order: 1 inserted, 9 updated, 2 inserted, 1 a duplicate, 3 inserted, 1 a duplicate.
      expectReport(res, { status: 'succeeded', rows_read: 6, inserted: 3, updated: 1, duplicate_in_file: 2 });
      const rows = await tableRows(app, 'employees');
      expect(rows.map((r) => [r.id, r.name])).toEqual([
        [1, 'A3'],
        [2, 'B'],
        [3, 'C'],
        [9, 'Nine'],
      ]);
    });

    it('skip: the first occurrence wins across chunks', async () => {
      const res = await uploadCsv(app, 'departments', csv('1,A', '2,B', '3,C', '1,D'), { query: { mode: 'skip' } });

      expectReport(res, { status: 'succeeded', inserted: 3, skipped: 0, duplicate_in_file: 1 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'A' },
        { id: 2, name: 'B' },
        { id: 3, name: 'C' },
      ]);
    });

    it('a name used in an earlier chunk is a duplicate_name in a later one', async () => {
      const res = await uploadCsv(app, 'jobs', csv('1,A', '2,B', '3,A'), { query: { on_error: 'skip' } });

      expect(errorCodes(res.body.errors)).toEqual([{ at: 3, column: 'title', code: 'duplicate_name' }]);
      await expect(tableRows(app, 'jobs')).resolves.toEqual([
        { id: 1, title: 'A' },
        { id: 2, title: 'B' },
      ]);
    });
  });

  describe('kept rejects', () => {
    it('keeps at most max_rejects_kept errors, counts every rejected row, and says it truncated', async () => {
      const res = await uploadCsv(app, 'departments', csv('1,', '2,', '3,', '4,', '5,', '6,Ok'), { query: { on_error: 'skip' } });

      expectReport(res, { status: 'succeeded_with_rejects', rows_read: 6, inserted: 1, rejected: 5, errors_truncated: true });
      expect(res.body.errors).toHaveLength(MAX_REJECTS_KEPT);
      const detail = await get(app.baseUrl, `/ingestions/${res.body.id}`);
      expect(detail.body).toMatchObject({ rejected: 5 });
      expect(detail.body.errors).toHaveLength(MAX_REJECTS_KEPT);
    });

    it('does not truncate at exactly max_rejects_kept errors', async () => {
      const res = await uploadCsv(app, 'departments', csv('1,', '2,', '3,', '4,Ok'), { query: { on_error: 'skip' } });

      expectReport(res, { rejected: 3, errors_truncated: false });
      expect(res.body.errors).toHaveLength(3);
    });

    it('truncates in the 422 of an aborted upload too', async () => {
      const res = await uploadCsv(app, 'departments', csv('x,', 'y,', 'z,'), { query: { header: 'false' } });

      expectRowsRejected(res);
      expect(res.body.report).toMatchObject({ rejected: 3, errors_truncated: true });
      expect(res.body.errors).toHaveLength(MAX_REJECTS_KEPT);
    });
  });
});

/** Polls GET /ingestions/{id} until it has ended; answers the last state. */
async function untilEnded(app: TestApp, id: number): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await get(app.baseUrl, `/ingestions/${id}`);
    if (!['queued', 'running'].includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`ingestion ${id} still ${res.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A multipart body written by hand: parts the fetch helpers would not send. */
async function rawMultipart(app: TestApp, path: string, parts: { name: string; filename?: string; content: string }[]): Promise<HttpResult> {
  const boundary = 'limits-boundary';
  const body =
    parts
      .map(({ name, filename, content }) => {
        const disposition = `form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}`;
        return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n${content}\r\n`;
      })
      .join('') + `--${boundary}--\r\n`;
  const response = await fetch(app.baseUrl + path, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : text, text };
}

/** Sends raw bytes on a new connection and answers what the server wrote back before closing it. */
function rawExchange(app: TestApp, request: string, closeAfterMs = 10_000): Promise<string> {
  return new Promise((resolve) => {
    const url = new URL(app.baseUrl);
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    const timer = setTimeout(() => socket.destroy(), closeAfterMs);
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('connect', () => socket.write(request));
  });
}

function problemOf(raw: string): { status: number; headers: string; body: any } {
  const [head, body] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(body) };
}

describe('limits: request size, rows per file, pending ingestions, timeouts', () => {
  describe('body limits: batches and other JSON bodies each have their own', () => {
    const BATCH_LIMIT = 4096;
    const JSON_LIMIT = 1024;
    const app = useTestApp((c) => ({
      ...c,
      server: { ...c.server, bodyLimitBytes: JSON_LIMIT },
      ingest: { ...c.ingest, maxBatchBytes: BATCH_LIMIT },
    }));
    const rowsOfSize = (bytes: number) => {
      const rows = [];
      for (let id = 1; JSON.stringify({ rows }).length < bytes; id++) rows.push({ id, name: `Department ${id}` });
      return rows;
    };

    it('accepts a batch above the general JSON limit but within ingest.max_batch_bytes', async () => {
      const rows = rowsOfSize(3000);
      expectReport(await postBatch(app, 'departments', { rows }), { inserted: rows.length });
    });

    it('answers 413 naming the limit to a batch over ingest.max_batch_bytes, and writes nothing', async () => {
      const res = await postBatch(app, 'departments', { rows: rowsOfSize(BATCH_LIMIT + 10) });
      expectProblem(res, 413, '/problems/payload_too_large');
      expect(res.body.detail).toContain(`${BATCH_LIMIT} bytes`);
      expect(res.body.detail).toContain('ingest.max_batch_bytes');
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('holds other JSON bodies to server.body_limit_bytes', async () => {
      const res = await postJson(app.baseUrl, '/backups', { tables: ['departments'], padding: 'x'.repeat(JSON_LIMIT) });
      expectProblem(res, 413, '/problems/payload_too_large');
      expect(res.body.detail).toContain(`${JSON_LIMIT} bytes`);
    });
  });

  describe('multipart: one file, few and short fields', () => {
    const app = useTestApp((c) => ({ ...c, ingest: { ...c.ingest, maxFields: 3, maxFieldBytes: 100 } }));

    it('answers 400 too_many_files to a second file part, naming the limit, and writes nothing', async () => {
      const res = await rawMultipart(app, '/departments/upload', [
        { name: 'file', filename: 'a.csv', content: '1,Sales' },
        { name: 'file', filename: 'b.csv', content: '2,Legal' },
      ]);
      expectProblem(res, 400, '/problems/too_many_files');
      expect(res.body.detail).toContain('1 file per upload');
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('answers 413 too_many_fields past ingest.max_fields', async () => {
      const fields = ['mode', 'on_error', 'header', 'delimiter'].map((name, i) => ({ name, content: ['insert', 'abort', 'false', ','][i] }));
      const res = await rawMultipart(app, '/departments/upload', [...fields, { name: 'file', filename: 'a.csv', content: '1,Sales' }]);
      expectProblem(res, 413, '/problems/too_many_fields');
      expect(res.body.detail).toContain('more than 3 text fields');
      expect(res.body.detail).toContain('ingest.max_fields');
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('answers 413 field_too_large to a field over ingest.max_field_bytes instead of using it cut short', async () => {
      const res = await uploadCsv(app, 'departments', '1,Sales\n', { fields: { mode: 'u'.repeat(101) } });
      expectProblem(res, 413, '/problems/field_too_large');
      expect(res.body.detail).toMatch(/"mode" is longer than 100 bytes.*ingest\.max_field_bytes/);
    });

    it('still takes as many fields as the limit allows', async () => {
      const res = await uploadCsv(app, 'departments', '1,Sales\n', { fields: { mode: 'insert', on_error: 'abort', header: 'false' } });
      expectReport(res, { inserted: 1 });
    });
  });

  describe('rows per file', () => {
    const MAX_ROWS = 3;
    const app = useTestApp((c) => ({ ...c, ingest: { ...c.ingest, maxRowsPerFile: MAX_ROWS } }));

    it('loads a file of exactly ingest.max_rows_per_file rows', async () => {
      expectReport(await uploadCsv(app, 'departments', csv('1,A', '2,B', '3,C')), { rows_read: 3, inserted: 3 });
    });

    it.each([
      ['abort', {}],
      ['skip', { on_error: 'skip' }],
    ])('answers 413 too_many_rows one row past it (on_error=%s), rolls back and records the ingestion failed', async (_label, query) => {
      const res = await uploadCsv(app, 'departments', csv('1,A', '2,B', '3,C', '4,D'), { query });
      expectProblem(res, 413, '/problems/too_many_rows');
      expect(res.body.detail).toContain(`more than ${MAX_ROWS} rows`);
      expect(res.body.detail).toContain('ingest.max_rows_per_file');
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
      const record = await get(app.baseUrl, `/ingestions/${res.body.ingestion_id}`);
      expect(record.body).toMatchObject({ status: 'failed', rows_read: MAX_ROWS, inserted: 0, error: { status: 413, code: 'too_many_rows' } });
    });

    it('stops an async upload past it the same way', async () => {
      const accepted = await uploadCsv(app, 'jobs', csv('1,A', '2,B', '3,C', '4,D', '5,E'), { query: { async: 'true' } });
      expect(accepted.status).toBe(202);
      const final = await untilEnded(app, accepted.body.id);
      expect(final).toMatchObject({ status: 'failed', inserted: 0, error: { status: 413, code: 'too_many_rows' } });
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });
  });

  describe('pending ingestions', () => {
    const app = useTestApp((c) => ({ ...c, ingest: { ...c.ingest, maxPendingLoads: 1, retryAfterSeconds: 7 } }));

    function expectTooMany(res: HttpResult): void {
      expectProblem(res, 429, '/problems/too_many_ingestions');
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.body.detail).toContain('ingest.max_pending_loads');
      expect(res.body.max_pending_loads).toBe(1);
    }

    it('answers 429 with Retry-After past ingest.max_pending_loads, before reading the body, and takes loads again once one ends', async () => {
      await seedReferences(app.baseUrl);
      const running = startStreamingUpload(app.baseUrl, '/employees/upload');
      await uploadUntilWriting(app.baseUrl, running);

      expectTooMany(await uploadCsv(app, 'departments', csv('10,Legal')));
      expectTooMany(await postBatch(app, 'jobs', { rows: [{ id: 10, title: 'Clerk' }] }));
      // Answered although its body never ends: it was refused before being read.
      const unread = startStreamingUpload(app.baseUrl, '/jobs/upload');
      await unread.write('11,Never read\n');
      expectTooMany(await unread.response);
      unread.end();

      running.end();
      expect((await running.response).status).toBe(201);
      expectReport(await uploadCsv(app, 'departments', csv('10,Legal')), { inserted: 1 });
    });

    it('counts an async upload until its background load ends', async () => {
      await seedReferences(app.baseUrl);
      const accepted = await uploadCsv(app, 'employees', employeeLines(1, 150_000), { query: { async: 'true' } });
      expect(accepted.status).toBe(202);
      const state = (await get(app.baseUrl, `/ingestions/${accepted.body.id}`)).body.status;
      // 150,000 rows take far longer to load than this round trip; were it over, the check below would prove nothing.
      expect(['queued', 'running']).toContain(state);
      expectTooMany(await postBatch(app, 'jobs', { rows: [{ id: 10, title: 'Clerk' }] }));

      expect(await untilEnded(app, accepted.body.id)).toMatchObject({ status: 'succeeded', inserted: 150_000 });
      expectReport(await postBatch(app, 'jobs', { rows: [{ id: 10, title: 'Clerk' }] }), { inserted: 1 });
    });
  });

  describe('request heads and timeouts', () => {
    const app = useTestApp((c) => ({ ...c, server: { ...c.server, maxHeaderBytes: 4096, headersTimeoutMs: 1000, idleTimeoutMs: 1500 } }));

    it('answers 431 naming server.max_header_bytes to headers over it', async () => {
      const res = await fetch(`${app.baseUrl}/departments`, { headers: { 'x-filler': 'a'.repeat(5000) } });
      expect(res.status).toBe(431);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({
        type: '/problems/request_headers_too_large',
        status: 431,
        detail: expect.stringMatching(/larger than 4096 bytes \(server\.max_header_bytes\)/),
      });
      expect((await get(app.baseUrl, '/departments')).status).toBe(200);
    });

    it('answers 408 naming server.headers_timeout_ms when the headers trickle in too slowly', async () => {
      const started = Date.now();
      const raw = await rawExchange(app, 'GET /departments HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
      const answer = problemOf(raw);
      expect(answer.status).toBe(408);
      expect(answer.headers).toContain('content-type: application/problem+json');
      expect(answer.body).toMatchObject({ type: '/problems/request_timeout', detail: expect.stringContaining('1000 ms (server.headers_timeout_ms)') });
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('never cuts a slow upload that keeps sending: the request itself has no time limit', async () => {
      const upload = startStreamingUpload(app.baseUrl, '/departments/upload');
      // Three times the idle and headers timeouts in all, never idle for long.
      for (let id = 1; id <= 12; id++) {
        await upload.write(`${id},Department ${id}\n`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      upload.end();
      expectReport(await upload.response, { inserted: 12 });
    });

    it('closes a connection whose upload stalls past server.idle_timeout_ms, rolling the ingestion back', async () => {
      const upload = startStreamingUpload(app.baseUrl, '/departments/upload');
      await upload.write('1,Sales\n2,Legal\n');
      await expect(upload.response).rejects.toThrow();
      const records = await ingestionRecords(app);
      expect(records).toHaveLength(1);
      expect((await untilEnded(app, records[0].id)).status).toBe('failed');
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });
  });
});

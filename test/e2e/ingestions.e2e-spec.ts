import { createHash } from 'node:crypto';
import { useTestApp } from '../harness/test-app';
import { HttpResult, get } from '../harness/http';
import {
  BASE_REFERENCES,
  csv,
  expectProblem,
  ingestionRecords,
  parseCsv,
  postBatch,
  seed,
  uploadCsv,
} from '../harness/ingest-helpers';

const REJECTS_HEADER = {
  departments: ['id', 'name', 'line', 'column', 'error_code', 'message'],
  jobs: ['id', 'title', 'line', 'column', 'error_code', 'message'],
  employees: ['id', 'name', 'hire_date', 'department_id', 'job_id', 'line', 'column', 'error_code', 'message'],
};

/** The ingestion fields of a report (what GET /ingestions lists). */
function ingestionOf(report: Record<string, unknown>): Record<string, unknown> {
  const { errors: _errors, errors_truncated: _truncated, ...ingestion } = report;
  return ingestion;
}

describe('the audit trail: GET /ingestions', () => {
  const app = useTestApp();

  /** Five ingestions of every outcome, oldest first. */
  async function history(): Promise<{ results: HttpResult[]; ids: number[] }> {
    const results: HttpResult[] = [];
    results.push(await uploadCsv(app, 'departments', csv('1,Sales', '2,Engineering'), { filename: 'depts.csv' })); // succeeded
    results.push(await uploadCsv(app, 'jobs', csv('1,Manager', '2,'), { query: { on_error: 'skip' } })); // succeeded_with_rejects
    results.push(await uploadCsv(app, 'employees', csv('1,Ada,2021-02-30,1,1'))); // failed (422)
    results.push(await uploadCsv(app, 'departments', '')); // failed (400, empty file)
    results.push(await postBatch(app, 'jobs', { rows: [{ id: 3, title: 'Analyst' }] })); // succeeded
    expect(results.map((r) => r.status)).toEqual([201, 201, 422, 400, 201]);
    const ids = results.map((r) => (r.status === 201 ? r.body.id : r.body.ingestion_id) as number);
    return { results, ids };
  }

  describe('listing', () => {
    it('lists every ingestion, failed ones included, newest first', async () => {
      const { results, ids } = await history();
      const res = await get(app.baseUrl, '/ingestions');

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 5, limit: 100, offset: 0 });
      expect(res.body.items.map((i: { id: number }) => i.id)).toEqual([...ids].reverse());
      expect(res.body.items.map((i: { status: string }) => i.status)).toEqual([
        'succeeded',
        'failed',
        'failed',
        'succeeded_with_rejects',
        'succeeded',
      ]);
      expect(res.body.items[4]).toEqual(ingestionOf(results[0].body));
      expect(res.body.items[2]).toEqual(ingestionOf(results[2].body.report));
    });

    it('shows each ingestion with its counts, options and request id', async () => {
      const file = csv('1,Sales', '1,Again', '2,');
      const upload = await uploadCsv(app, 'departments', file, {
        filename: 'depts.csv',
        query: { mode: 'skip', on_error: 'skip' },
      });
      const res = await get(app.baseUrl, '/ingestions');

      expect(res.body.items).toEqual([
        {
          id: upload.body.id,
          table: 'departments',
          source: 'depts.csv',
          source_kind: 'csv',
          mode: 'skip',
          on_error: 'skip',
          status: 'succeeded_with_rejects',
          started_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
          finished_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
          duration_ms: expect.any(Number),
          rows_read: 3,
          inserted: 1,
          updated: 0,
          unchanged: 0,
          skipped: 0,
          duplicate_in_file: 1,
          rejected: 1,
          detail: null,
          error: null,
          request_id: upload.headers.get('x-request-id'),
          api_key: null,
          sha256: createHash('sha256').update(file).digest('hex'),
          duplicate_of: null,
          dry_run: false,
          async: false,
          instance_id: expect.any(String),
          heartbeat_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
          progress: { bytes_read: 19, bytes_total: null, rows_read: 3, rows_written: 1, rejected: 1 },
          detected: { format: 'csv', header: false, delimiter: ',', bom: false, line_endings: 'lf', bytes: 19 },
          timings_ms: { read: expect.any(Number), check: expect.any(Number), resolve: expect.any(Number), write: expect.any(Number), commit: expect.any(Number) },
        },
      ]);
    });

    it('records why a file was refused, with the problem the response carried', async () => {
      const refused = await uploadCsv(app, 'departments', csv('1,Sales', '2,"Engineering'));
      const res = await get(app.baseUrl, `/ingestions/${refused.body.ingestion_id}`);

      expect(refused.status).toBe(400);
      expect(res.body).toMatchObject({ status: 'failed', error: { status: 400, code: refused.body.type.replace('/problems/', ''), line: 2 } });
    });

    it('records why a file was refused', async () => {
      const refused = await uploadCsv(app, 'departments', 'id,name\n');
      const res = await get(app.baseUrl, `/ingestions/${refused.body.ingestion_id}`);

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'failed', rows_read: 0, inserted: 0, detail: expect.stringMatching(/no data rows/) });
    });

    it.each([
      ['table=departments', (ids: number[]) => [ids[3], ids[0]]],
      ['table=jobs', (ids: number[]) => [ids[4], ids[1]]],
      ['status=failed', (ids: number[]) => [ids[3], ids[2]]],
      ['status=succeeded', (ids: number[]) => [ids[4], ids[0]]],
      ['status=succeeded_with_rejects', (ids: number[]) => [ids[1]]],
      ['table=employees&status=failed', (ids: number[]) => [ids[2]]],
      ['table=employees&status=succeeded', () => []],
    ])('filters with %s', async (query, expectedIds) => {
      const { ids } = await history();
      const res = await get(app.baseUrl, `/ingestions?${query}`);

      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { id: number }) => i.id)).toEqual(expectedIds(ids));
      expect(res.body.total).toBe(expectedIds(ids).length);
    });

    it('pages newest first', async () => {
      const { ids } = await history();
      const res = await get(app.baseUrl, '/ingestions?limit=2&offset=1');

      expect(res.body).toMatchObject({ total: 5, limit: 2, offset: 1 });
      expect(res.body.items.map((i: { id: number }) => i.id)).toEqual([ids[3], ids[2]]);
    });

    it.each(['table=users', 'status=done', 'limit=0', 'offset=-3'])('GET /ingestions?%s → 400', async (query) => {
      expectProblem(await get(app.baseUrl, `/ingestions?${query}`), 400, '/problems/invalid_request');
    });

    it('matches what is stored in the ingestions table', async () => {
      const { ids } = await history();
      const res = await get(app.baseUrl, '/ingestions');

      const stored = await ingestionRecords(app);
      expect(stored.map((r) => r.id)).toEqual(ids);
      for (const item of res.body.items) {
        const row = stored.find((r) => r.id === item.id);
        expect(row).toMatchObject({
          table_name: item.table,
          status: item.status,
          rows_read: item.rows_read,
          inserted: item.inserted,
          rejected: item.rejected,
        });
      }
    });
  });

  describe('GET /ingestions/{id}', () => {
    it('shows a CSV ingestion with its stored errors by line', async () => {
      await seed(app, BASE_REFERENCES);
      const upload = await uploadCsv(app, 'employees', csv('id,name,hire_date,department_id,job_id', '1,Ada,2021-01-01,1,1', '2,,soon,1,1', '3,Cy,2021-01-01,9,1'), {
        query: { on_error: 'skip' },
      });
      const res = await get(app.baseUrl, `/ingestions/${upload.body.id}`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...ingestionOf(upload.body), errors: upload.body.errors });
      expect(res.body.errors).toEqual([
        { line: 3, column: 'name', value: '', code: 'required', message: expect.any(String) },
        { line: 3, column: 'hire_date', value: 'soon', code: 'invalid_date', message: expect.any(String) },
        { line: 4, column: 'department_id', value: '9', code: 'unknown_department', message: expect.any(String) },
      ]);
    });

    it('keeps the errors of a failed (rolled back) ingestion', async () => {
      const upload = await uploadCsv(app, 'departments', csv('1,Sales', '2,'));
      const res = await get(app.baseUrl, `/ingestions/${upload.body.ingestion_id}`);

      expect(res.body).toMatchObject({ status: 'failed', rejected: 1, inserted: 0 });
      expect(res.body.errors).toEqual(upload.body.errors);
    });

    it('shows a batch ingestion with its stored errors by row index', async () => {
      const batch = await postBatch(app, 'departments', { rows: [{ id: 1, name: 'Sales' }, { id: 'x', name: 'Ops' }, { id: 3 }] });
      const res = await get(app.baseUrl, `/ingestions/${batch.body.ingestion_id}`);

      expect(res.body).toMatchObject({ source: 'batch', source_kind: 'batch', status: 'failed' });
      expect(res.body.errors).toEqual([
        { row: 1, column: 'id', value: 'x', code: 'invalid_integer', message: expect.any(String) },
        { row: 2, column: 'name', value: null, code: 'required', message: expect.any(String) },
      ]);
    });

    it('shows an empty error list for a clean ingestion', async () => {
      const upload = await uploadCsv(app, 'jobs', csv('1,Manager'));
      await expect(get(app.baseUrl, `/ingestions/${upload.body.id}`)).resolves.toMatchObject({
        status: 200,
        body: { id: upload.body.id, status: 'succeeded', errors: [] },
      });
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expectProblem(await get(app.baseUrl, '/ingestions/12345'), 404, '/problems/not_found');
      expectProblem(await get(app.baseUrl, '/ingestions/first'), 400, '/problems/invalid_id');
      expectProblem(await get(app.baseUrl, '/ingestions/0'), 400, '/problems/invalid_id');
    });
  });

  describe('GET /ingestions/{id}/rejects', () => {
    async function rejects(ingestionId: number): Promise<string[][]> {
      const res = await get(app.baseUrl, `/ingestions/${ingestionId}/rejects`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      return parseCsv(res.text);
    }

    it('returns the rejected rows of a headerless file under the canonical header, then line, column, error_code, message', async () => {
      await seed(app, BASE_REFERENCES);
      const upload = await uploadCsv(
        app,
        'employees',
        csv('1,Ada,2021-01-01,1,1', '2,"Lovelace, Ada",2021-02-30,1,1', '0,,2021-01-01,1,1', '4,Di,2021-01-01,1,7'),
        { query: { on_error: 'skip' } },
      );
      expect(upload.body.rejected).toBe(3);

      const records = await rejects(upload.body.id);
      expect(records).toEqual([
        REJECTS_HEADER.employees,
        ['2', 'Lovelace, Ada', '2021-02-30', '1', '1', '2', 'hire_date', 'invalid_date', expect.stringContaining('2021-02-30')],
        ['0', '', '2021-01-01', '1', '1', '3', 'id | name', 'out_of_range | required', expect.stringMatching(/.+ \| .+/)],
        ['4', 'Di', '2021-01-01', '1', '7', '4', 'job_id', 'unknown_job', expect.stringContaining('7')],
      ]);
    });

    it('returns the header alone when nothing was rejected', async () => {
      const upload = await uploadCsv(app, 'departments', csv('1,Sales'));
      await expect(rejects(upload.body.id)).resolves.toEqual([REJECTS_HEADER.departments]);
    });

    it('returns the rows of a failed (rolled back) upload', async () => {
      const upload = await uploadCsv(app, 'jobs', csv('1,Manager', '2,', '3,Analyst'));
      await expect(rejects(upload.body.ingestion_id)).resolves.toEqual([
        REJECTS_HEADER.jobs,
        ['2', '', '2', 'title', 'required', expect.any(String)],
      ]);
    });

    it('gives the rows back as written under the file\'s own header, in its own column order', async () => {
      await seed(app, BASE_REFERENCES);
      const upload = await uploadCsv(
        app,
        'employees',
        csv('name,job_id,hire_date,id,department_id', 'Ada,1,2021-01-01,1,1', 'Bob,1,2021-02-30,2,1'),
        { query: { on_error: 'skip' } },
      );
      expect(upload.body.rejected).toBe(1);

      const res = await get(app.baseUrl, `/ingestions/${upload.body.id}/rejects`);
      expect(res.text.split('\n').slice(0, 2)).toEqual([
        'name,job_id,hire_date,id,department_id,line,column,error_code,message',
        expect.stringMatching(/^Bob,1,2021-02-30,2,1,3,hire_date,invalid_date,/),
      ]);
    });

    it('pads a row with too few columns so that line, column, error_code and message stay in place', async () => {
      await seed(app, BASE_REFERENCES);
      const upload = await uploadCsv(app, 'employees', csv('1,Ada,2021-01-01,1,1', '2,Bob,2021-01-01'), { query: { on_error: 'skip' } });
      expect(upload.body.rejected).toBe(1);

      await expect(rejects(upload.body.id)).resolves.toEqual([
        REJECTS_HEADER.employees,
        ['2', 'Bob', '2021-01-01', '', '', '2', '', 'wrong_column_count', expect.stringContaining('found 3')],
      ]);
    });

    it('keeps every cell of a row with too many columns, line and error in its last four fields', async () => {
      await seed(app, BASE_REFERENCES);
      const upload = await uploadCsv(app, 'employees', csv('1,Ada,2021-01-01,1,1', '2,Bob,2021-01-01,1,1,extra'), {
        query: { on_error: 'skip' },
      });
      expect(upload.body.rejected).toBe(1);

      const records = await rejects(upload.body.id);
      expect(records[0]).toEqual(REJECTS_HEADER.employees);
      expect(records).toHaveLength(2);
      // Nothing the user wrote is dropped: the extra cell stays, so the row is one field wider.
      expect(records[1].slice(0, 6)).toEqual(['2', 'Bob', '2021-01-01', '1', '1', 'extra']);
      expect(records[1].slice(-4)).toEqual(['2', '', 'wrong_column_count', expect.stringContaining('found 6')]);
    });

    it('returns the rejected rows of a batch by row index', async () => {
      const batch = await postBatch(app, 'departments', { rows: [{ id: 1, name: 'Sales' }, { name: 'No id', id: 0 }] });
      expect(batch.status).toBe(422);

      // A batch row is placed by its index in rows, under a "row" column.
      await expect(rejects(batch.body.ingestion_id)).resolves.toEqual([
        ['id', 'name', 'row', 'column', 'error_code', 'message'],
        ['0', 'No id', '1', 'id', 'out_of_range', expect.any(String)],
      ]);
    });

    it('answers 404 for an unknown ingestion and 400 for a malformed id', async () => {
      expectProblem(await get(app.baseUrl, '/ingestions/777/rejects'), 404, '/problems/not_found');
      expectProblem(await get(app.baseUrl, '/ingestions/-1/rejects'), 400, '/problems/invalid_id');
    });
  });
});

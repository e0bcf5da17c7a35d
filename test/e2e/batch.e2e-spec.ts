import { useTestApp } from '../harness/test-app';
import { get } from '../harness/http';
import {
  BASE_REFERENCES,
  DataSnapshot,
  EMPTY_SNAPSHOT,
  errorCodes,
  expectProblem,
  expectReport,
  expectRowsRejected,
  ingestionRecords,
  postBatch,
  postRaw,
  seed,
  snapshot,
  tableRows,
} from '../harness/ingest-helpers';

function departments(count: number, from = 1): { id: number; name: string }[] {
  return Array.from({ length: count }, (_, i) => ({ id: from + i, name: `Department ${from + i}` }));
}

describe('JSON batches: POST /<table>/batch', () => {
  const app = useTestApp();

  async function seeded(): Promise<DataSnapshot> {
    await seed(app, BASE_REFERENCES);
    return snapshot(app);
  }

  describe('loading rows', () => {
    it('loads departments and answers 201 with a report', async () => {
      const res = await postBatch(app, 'departments', { rows: [{ id: 1, name: 'Sales' }, { id: 2, name: 'Ops' }] });

      expectReport(res, {
        table: 'departments',
        source: 'batch',
        source_kind: 'batch',
        mode: 'insert',
        on_error: 'abort',
        status: 'succeeded',
        rows_read: 2,
        inserted: 2,
        updated: 0,
        skipped: 0,
        rejected: 0,
        errors: [],
        errors_truncated: false,
        detected: { format: 'json' },
      });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales' },
        { id: 2, name: 'Ops' },
      ]);
    });

    it('loads jobs', async () => {
      const res = await postBatch(app, 'jobs', { rows: [{ id: 4, title: 'Engineer, Senior' }] });

      expectReport(res, { table: 'jobs', inserted: 1 });
      await expect(tableRows(app, 'jobs')).resolves.toEqual([{ id: 4, title: 'Engineer, Senior' }]);
    });

    it('loads employees and normalises hire_date to UTC with milliseconds', async () => {
      await seeded();
      const res = await postBatch(app, 'employees', {
        rows: [
          { id: 1, name: 'Ada', hire_date: '2021-07-27', department_id: 1, job_id: 2 },
          { id: 2, name: 'Bob', hire_date: '2021-12-31T23:30:00-05:00', department_id: 2, job_id: 1 },
          { id: 3, name: 'José Müller 東京', hire_date: '2021-07-27T16:02:08Z', department_id: 2, job_id: 2 },
        ],
      });

      expectReport(res, { table: 'employees', inserted: 3 });
      const expected = [
        { id: 1, name: 'Ada', hire_date: '2021-07-27T00:00:00.000Z', department_id: 1, job_id: 2 },
        { id: 2, name: 'Bob', hire_date: '2022-01-01T04:30:00.000Z', department_id: 2, job_id: 1 },
        { id: 3, name: 'José Müller 東京', hire_date: '2021-07-27T16:02:08.000Z', department_id: 2, job_id: 2 },
      ];
      await expect(tableRows(app, 'employees')).resolves.toEqual(expected);
      await expect(get(app.baseUrl, '/employees')).resolves.toMatchObject({ status: 200, body: { items: expected, total: 3 } });
    });

    it('trims text values as CSV does', async () => {
      const res = await postBatch(app, 'departments', { rows: [{ id: 1, name: '  Sales  ' }] });

      expectReport(res, { inserted: 1 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([{ id: 1, name: 'Sales' }]);
    });

    it('loads exactly 1000 rows', async () => {
      const rows = departments(1000);
      const res = await postBatch(app, 'departments', { rows });

      expectReport(res, { rows_read: 1000, inserted: 1000 });
      await expect(tableRows(app, 'departments')).resolves.toEqual(rows);
    });

    it('stores hostile text verbatim', async () => {
      const hostile = "x'); DROP TABLE employees;--";
      await seeded();
      const res = await postBatch(app, 'employees', { rows: [{ id: 1, name: hostile, hire_date: '2021-01-01', department_id: 1, job_id: 1 }] });

      expectReport(res, { inserted: 1 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 1, name: hostile, hire_date: '2021-01-01T00:00:00.000Z', department_id: 1, job_id: 1 },
      ]);
    });
  });

  describe('modes', () => {
    it('insert: an existing id is a duplicate_id and nothing is written', async () => {
      const before = await seeded();
      const res = await postBatch(app, 'departments', { rows: [{ id: 3, name: 'New' }, { id: 1, name: 'Again' }] });

      expect(expectRowsRejected(res)).toEqual([
        { row: 1, column: 'id', value: '1', code: 'duplicate_id', message: expect.any(String) },
      ]);
      await expect(snapshot(app)).resolves.toEqual(before);
    });

    it('insert: an id twice in one batch is a duplicate_id on the second', async () => {
      const res = await postBatch(app, 'jobs', { mode: 'insert', rows: [{ id: 5, title: 'A' }, { id: 5, title: 'B' }] });

      expect(errorCodes(expectRowsRejected(res))).toEqual([{ at: 1, column: 'id', code: 'duplicate_id' }]);
      await expect(tableRows(app, 'jobs')).resolves.toEqual([]);
    });

    it('upsert: updates existing rows, inserts new ones; the last of a repeated id wins', async () => {
      await seeded();
      const res = await postBatch(app, 'departments', {
        mode: 'upsert',
        rows: [
          { id: 2, name: 'Research' },
          { id: 3, name: 'First' },
          { id: 3, name: 'Second' },
        ],
      });

      expectReport(res, { mode: 'upsert', status: 'succeeded', rows_read: 3, inserted: 1, updated: 1, duplicate_in_file: 1, rejected: 0 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales' },
        { id: 2, name: 'Research' },
        { id: 3, name: 'Second' },
      ]);
    });

    it('skip: keeps existing rows; the first of a repeated id wins', async () => {
      await seeded();
      const res = await postBatch(app, 'jobs', {
        mode: 'skip',
        rows: [
          { id: 1, title: 'Ignored' },
          { id: 3, title: 'First' },
          { id: 3, title: 'Second' },
        ],
      });

      expectReport(res, { mode: 'skip', inserted: 1, skipped: 1, duplicate_in_file: 1 });
      await expect(tableRows(app, 'jobs')).resolves.toEqual([...BASE_REFERENCES.jobs, { id: 3, title: 'First' }]);
    });

    it('rejects a new id with an existing name as duplicate_name', async () => {
      const before = await seeded();
      const res = await postBatch(app, 'departments', { rows: [{ id: 9, name: 'Sales' }] });

      expect(errorCodes(expectRowsRejected(res))).toEqual([{ at: 0, column: 'name', code: 'duplicate_name' }]);
      await expect(snapshot(app)).resolves.toEqual(before);
    });
  });

  describe('invalid rows → 422, errors by 0-based row index, nothing written', () => {
    it('answers problem details with row (not line) in every error', async () => {
      const before = await seeded();
      const res = await postBatch(app, 'employees', {
        rows: [
          { id: 1, name: 'Ada', hire_date: '2021-01-01', department_id: 1, job_id: 1 },
          { id: 2, name: '', hire_date: '2021-02-30', department_id: 1, job_id: 1 },
          { id: 3, name: 'Cy', hire_date: '2021-01-03', department_id: 7, job_id: 1 },
        ],
      });

      const errors = expectRowsRejected(res);
      expect(errors).toEqual([
        { row: 1, column: 'name', value: '', code: 'required', message: expect.any(String) },
        { row: 1, column: 'hire_date', value: '2021-02-30', code: 'invalid_date', message: expect.any(String) },
        { row: 2, column: 'department_id', value: '7', code: 'unknown_department', message: expect.any(String) },
      ]);
      for (const error of errors) expect(error).not.toHaveProperty('line');
      expect(res.body.report).toMatchObject({ source: 'batch', rows_read: 3, rejected: 2, detected: { format: 'json' } });
      await expect(snapshot(app)).resolves.toEqual(before);
    });

    it('writes nothing when only the last of 1000 rows is bad', async () => {
      const rows: Record<string, unknown>[] = departments(1000);
      rows[999] = { id: 1000, name: '' };
      const res = await postBatch(app, 'departments', { rows });

      expect(errorCodes(expectRowsRejected(res))).toEqual([{ at: 999, column: 'name', code: 'required' }]);
      expect(res.body.report).toMatchObject({ rows_read: 1000, inserted: 0, rejected: 1 });
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('rejects an unknown field in a row as unknown_field', async () => {
      const res = await postBatch(app, 'departments', { rows: [{ id: 1, name: 'Sales' }, { id: 2, name: 'Ops', budget: 10 }] });

      expect(expectRowsRejected(res)).toEqual([
        { row: 1, column: 'budget', value: null, code: 'unknown_field', message: expect.stringContaining('budget') },
      ]);
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('rejects an unknown field with a long name as unknown_field and records the ingestion as failed', async () => {
      const field = `custom_${'x'.repeat(80)}`;
      const res = await postBatch(app, 'departments', { rows: [{ id: 1, name: 'Sales', [field]: true }] });

      expect(expectRowsRejected(res)).toEqual([
        { row: 0, column: field, value: null, code: 'unknown_field', message: expect.stringContaining(field) },
      ]);
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
      await expect(ingestionRecords(app)).resolves.toEqual([
        expect.objectContaining({ id: res.body.ingestion_id, status: 'failed', rejected: 1 }),
      ]);
    });

    it('does not echo a megabyte-long field name or value whole', async () => {
      const huge = 'x'.repeat(1_000_000);
      const unknownField = await postBatch(app, 'departments', { rows: [{ id: 1, name: 'Sales', [huge]: true }] });
      expect(unknownField.status).toBe(422);
      const longValue = await postBatch(app, 'employees', { rows: [{ id: 1, name: 'Ada', hire_date: huge, department_id: 1, job_id: 1 }] });
      expect(longValue.status).toBe(422);
      const envelope = await postBatch(app, 'departments', { [huge]: 1, rows: [{ id: 1, name: 'Sales' }] });
      expect(envelope.status).toBe(400);
      for (const res of [unknownField, longValue, envelope]) expect(res.text.length).toBeLessThan(20_000);
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('rejects CSV-only names of columns (aliases are for CSV headers)', async () => {
      await seeded();
      const res = await postBatch(app, 'employees', {
        rows: [{ id: 1, name: 'Ada', datetime: '2021-01-01', department_id: 1, job_id: 1 }],
      });

      // The unknown field is reported, and so is the column it was meant to fill.
      expect(errorCodes(expectRowsRejected(res))).toEqual([
        { at: 0, column: 'datetime', code: 'unknown_field' },
        { at: 0, column: 'hire_date', code: 'required' },
      ]);
    });

    const typeCases: [string, Record<string, unknown>, { column: string; code: string }][] = [
      ['id as a string', { id: '5', name: 'Ada', hire_date: '2021-01-01', department_id: 1, job_id: 1 }, { column: 'id', code: 'invalid_integer' }],
      ['department_id as a string', { id: 5, name: 'Ada', hire_date: '2021-01-01', department_id: '1', job_id: 1 }, { column: 'department_id', code: 'invalid_integer' }],
      ['job_id as a string', { id: 5, name: 'Ada', hire_date: '2021-01-01', department_id: 1, job_id: '2' }, { column: 'job_id', code: 'invalid_integer' }],
      ['a fractional id', { id: 1.5, name: 'Ada', hire_date: '2021-01-01', department_id: 1, job_id: 1 }, { column: 'id', code: 'invalid_integer' }],
      ['a boolean id', { id: true, name: 'Ada', hire_date: '2021-01-01', department_id: 1, job_id: 1 }, { column: 'id', code: 'invalid_integer' }],
      ['id 0', { id: 0, name: 'Ada', hire_date: '2021-01-01', department_id: 1, job_id: 1 }, { column: 'id', code: 'out_of_range' }],
      ['an id above 2147483647', { id: 2147483648, name: 'Ada', hire_date: '2021-01-01', department_id: 1, job_id: 1 }, { column: 'id', code: 'out_of_range' }],
      ['a missing id', { name: 'Ada', hire_date: '2021-01-01', department_id: 1, job_id: 1 }, { column: 'id', code: 'required' }],
      ['a null name', { id: 5, name: null, hire_date: '2021-01-01', department_id: 1, job_id: 1 }, { column: 'name', code: 'required' }],
      ['a numeric name', { id: 5, name: 42, hire_date: '2021-01-01', department_id: 1, job_id: 1 }, { column: 'name', code: 'invalid_text' }],
      ['a NUL character in a name', { id: 5, name: 'A\u0000B', hire_date: '2021-01-01', department_id: 1, job_id: 1 }, { column: 'name', code: 'invalid_text' }],
      ['a 256-character name', { id: 5, name: 'x'.repeat(256), hire_date: '2021-01-01', department_id: 1, job_id: 1 }, { column: 'name', code: 'too_long' }],
      ['a numeric hire_date', { id: 5, name: 'Ada', hire_date: 1609459200000, department_id: 1, job_id: 1 }, { column: 'hire_date', code: 'invalid_date' }],
      ['a non-ISO hire_date', { id: 5, name: 'Ada', hire_date: '01/02/2021', department_id: 1, job_id: 1 }, { column: 'hire_date', code: 'invalid_date' }],
      ['a missing hire_date', { id: 5, name: 'Ada', department_id: 1, job_id: 1 }, { column: 'hire_date', code: 'required' }],
      ['an unknown job', { id: 5, name: 'Ada', hire_date: '2021-01-01', department_id: 1, job_id: 99 }, { column: 'job_id', code: 'unknown_job' }],
    ];

    it.each(typeCases)('rejects %s', async (_label, row, expected) => {
      const before = await seeded();
      const res = await postBatch(app, 'employees', { rows: [row] });

      const errors = expectRowsRejected(res);
      expect(errors).toEqual([expect.objectContaining({ row: 0, ...expected, message: expect.any(String) })]);
      await expect(snapshot(app)).resolves.toEqual(before);
    });
  });

  describe('invalid envelopes → 400 invalid_request, nothing written', () => {
    async function expectInvalidRequest(body: unknown, detail: RegExp) {
      const before = await seeded();
      const res = await postBatch(app, 'departments', body);
      expectProblem(res, 400, '/problems/invalid_request');
      expect(res.body.detail).toMatch(detail);
      await expect(snapshot(app)).resolves.toEqual(before);
      return res;
    }

    it('0 rows', async () => {
      await expectInvalidRequest({ rows: [] }, /at least 1 row/);
    });

    it('1001 rows', async () => {
      await expectInvalidRequest({ rows: departments(1001, 10) }, /at most 1000 rows/);
    });

    it('no rows property', async () => {
      await expectInvalidRequest({ mode: 'insert' }, /rows/);
    });

    it('rows: null', async () => {
      await expectInvalidRequest({ rows: null }, /rows/);
    });

    it('an empty object', async () => {
      await expectInvalidRequest({}, /rows/);
    });

    it('rows that is not an array', async () => {
      await expectInvalidRequest({ rows: { id: 1, name: 'Sales' } }, /rows/);
    });

    it('a row that is not an object', async () => {
      await expectInvalidRequest({ rows: [{ id: 3, name: 'Ops' }, 'nope', null] }, /rows/);
    });

    it('an unknown mode', async () => {
      await expectInvalidRequest({ mode: 'replace', rows: [{ id: 3, name: 'Ops' }] }, /mode/);
    });

    it('an unknown top-level property', async () => {
      await expectInvalidRequest({ rows: [{ id: 3, name: 'Ops' }], on_error: 'skip' }, /on_error/);
    });

    it('malformed JSON', async () => {
      const before = await seeded();
      const res = await postRaw(app.baseUrl, '/departments/batch', '{"rows": [{"id": 3,', 'application/json');
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      await expect(snapshot(app)).resolves.toEqual(before);
    });
  });

  describe('audit trail', () => {
    it('records successful and failed batches as ingestions of source "batch"', async () => {
      const ok = await postBatch(app, 'departments', { rows: [{ id: 1, name: 'Sales' }] });
      const bad = await postBatch(app, 'departments', { rows: [{ id: 1, name: 'Sales' }] });

      expect(ok.status).toBe(201);
      expect(bad.status).toBe(422);
      await expect(ingestionRecords(app)).resolves.toEqual([
        expect.objectContaining({ id: ok.body.id, source: 'batch', source_kind: 'batch', status: 'succeeded', inserted: 1 }),
        expect.objectContaining({ id: bad.body.ingestion_id, source: 'batch', source_kind: 'batch', status: 'failed', rejected: 1 }),
      ]);
    });
  });
});

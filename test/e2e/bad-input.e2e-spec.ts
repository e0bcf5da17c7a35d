import { useTestApp } from '../harness/test-app';
import { get, postJson } from '../harness/http';
import {
  BASE_REFERENCES,
  DataSnapshot,
  csv,
  dataFile,
  errorCodes,
  expectProblem,
  expectReport,
  expectRowsRejected,
  ingestCsv,
  ingestionRecords,
  postFieldsOnly,
  postRaw,
  rejectRecords,
  seed,
  snapshot,
  tableRows,
  uploadCsv,
} from '../harness/ingest-helpers';

const GOOD_EMPLOYEE = '1,Good Row,2021-01-01,1,1';
const GOOD_EMPLOYEE_ROW = { id: 1, name: 'Good Row', hire_date: '2021-01-01T00:00:00.000Z', department_id: 1, job_id: 1 };

describe('bad input', () => {
  const app = useTestApp();

  async function seeded(): Promise<DataSnapshot> {
    await seed(app, BASE_REFERENCES);
    return snapshot(app);
  }

  describe('row errors carry line, column, value, code and message', () => {
    const cases: [string, string, { column: string | null; value: string | null; code: string }][] = [
      ['a non-numeric id', 'abc,Ada,2021-01-01,1,1', { column: 'id', value: 'abc', code: 'invalid_integer' }],
      ['a decimal id', '1.5,Ada,2021-01-01,1,1', { column: 'id', value: '1.5', code: 'invalid_integer' }],
      ['a non-numeric department_id', '2,Ada,2021-01-01,two,1', { column: 'department_id', value: 'two', code: 'invalid_integer' }],
      ['a non-numeric job_id', '2,Ada,2021-01-01,1,1e3', { column: 'job_id', value: '1e3', code: 'invalid_integer' }],
      ['id 0', '0,Ada,2021-01-01,1,1', { column: 'id', value: '0', code: 'out_of_range' }],
      ['a negative id', '-5,Ada,2021-01-01,1,1', { column: 'id', value: '-5', code: 'out_of_range' }],
      ['an id above 2147483647', '2147483648,Ada,2021-01-01,1,1', { column: 'id', value: '2147483648', code: 'out_of_range' }],
      ['job_id 0', '2,Ada,2021-01-01,1,0', { column: 'job_id', value: '0', code: 'out_of_range' }],
      ['an empty id', ',Ada,2021-01-01,1,1', { column: 'id', value: '', code: 'required' }],
      ['an empty name', '2,,2021-01-01,1,1', { column: 'name', value: '', code: 'required' }],
      ['a blank name', '2,   ,2021-01-01,1,1', { column: 'name', value: '', code: 'required' }],
      ['an empty hire_date', '2,Ada,,1,1', { column: 'hire_date', value: '', code: 'required' }],
      ['an empty department_id', '2,Ada,2021-01-01,,1', { column: 'department_id', value: '', code: 'required' }],
      ['a 256-character name', `2,${'n'.repeat(256)},2021-01-01,1,1`, { column: 'name', value: 'n'.repeat(256), code: 'too_long' }],
      ['a control character in a name', '2,Ada\u0001Lovelace,2021-01-01,1,1', { column: 'name', value: 'Ada\u0001Lovelace', code: 'invalid_text' }],
      ['a NUL character in a name', '2,Ada\u0000Lovelace,2021-01-01,1,1', { column: 'name', value: 'Ada\u0000Lovelace', code: 'invalid_text' }],
      ['February 30th', '2,Ada,2021-02-30,1,1', { column: 'hire_date', value: '2021-02-30', code: 'invalid_date' }],
      ['month 13', '2,Ada,2021-13-01,1,1', { column: 'hire_date', value: '2021-13-01', code: 'invalid_date' }],
      ['hour 24', '2,Ada,2021-06-01T24:00:00Z,1,1', { column: 'hire_date', value: '2021-06-01T24:00:00Z', code: 'invalid_date' }],
      ['a non-ISO date', '2,Ada,27/07/2021,1,1', { column: 'hire_date', value: '27/07/2021', code: 'invalid_date' }],
      ['a date-time past year 9999 in UTC', '2,Ada,9999-12-31T23:30:00-01:00,1,1', { column: 'hire_date', value: '9999-12-31T23:30:00-01:00', code: 'invalid_date' }],
      ['a word for a date', '2,Ada,yesterday,1,1', { column: 'hire_date', value: 'yesterday', code: 'invalid_date' }],
      ['too few columns', '2,Ada,2021-01-01,1', { column: null, value: null, code: 'wrong_column_count' }],
      ['too many columns', '2,Ada,2021-01-01,1,1,extra', { column: null, value: null, code: 'wrong_column_count' }],
      ['an unknown department', '2,Ada,2021-01-01,99,1', { column: 'department_id', value: '99', code: 'unknown_department' }],
      ['an unknown job', '2,Ada,2021-01-01,1,77', { column: 'job_id', value: '77', code: 'unknown_job' }],
      ['an id already in the table', '1,Ada,2021-01-01,1,1', { column: 'id', value: '1', code: 'duplicate_id' }],
    ];

    it.each(cases)('rejects %s (on_error=skip loads the good row)', async (_label, badLine, expected) => {
      await seed(app, BASE_REFERENCES);
      const res = await uploadCsv(app, 'employees', csv(GOOD_EMPLOYEE, badLine), { query: { on_error: 'skip' } });

      expectReport(res, { status: 'succeeded_with_rejects', rows_read: 2, inserted: 1, rejected: 1 });
      expect(res.body.errors).toEqual([{ line: 2, ...expected, message: expect.stringMatching(/\S/) }]);
      await expect(tableRows(app, 'employees')).resolves.toEqual([GOOD_EMPLOYEE_ROW]);
    });

    it('accepts the boundaries: id 2147483647, a 255-character name, a leading + and leading zeros', async () => {
      await seed(app, BASE_REFERENCES);
      const longName = 'é'.repeat(255);
      const res = await uploadCsv(app, 'employees', csv(`2147483647,${longName},2021-01-01,1,1`, '+7,Plus,2021-01-01,01,002'));

      expectReport(res, { status: 'succeeded', inserted: 2 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 7, name: 'Plus', hire_date: '2021-01-01T00:00:00.000Z', department_id: 1, job_id: 2 },
        { id: 2147483647, name: longName, hire_date: '2021-01-01T00:00:00.000Z', department_id: 1, job_id: 1 },
      ]);
    });

    it('counts characters, not bytes or UTF-16 units, against the 255 limit', async () => {
      const emoji255 = '😀'.repeat(255);
      const res = await uploadCsv(app, 'departments', csv(`1,${emoji255}`, `2,${'😀'.repeat(256)}`), { query: { on_error: 'skip' } });

      expectReport(res, { inserted: 1, rejected: 1 });
      expect(errorCodes(res.body.errors)).toEqual([{ at: 2, column: 'name', code: 'too_long' }]);
      await expect(tableRows(app, 'departments')).resolves.toEqual([{ id: 1, name: emoji255 }]);
    });

    it('rejects a NUL character with a 422, writes nothing and records the ingestion as failed', async () => {
      const before = await seeded();
      const res = await uploadCsv(app, 'departments', csv('3,Ops', '4,Le\u0000gal'));

      expect(expectRowsRejected(res)).toEqual([
        { line: 2, column: 'name', value: 'Le\u0000gal', code: 'invalid_text', message: expect.any(String) },
      ]);
      await expect(snapshot(app)).resolves.toEqual(before);
      await expect(ingestionRecords(app)).resolves.toEqual([
        expect.objectContaining({ id: res.body.ingestion_id, status: 'failed', rejected: 1 }),
      ]);
    });

    it('lists every bad cell of a row, counting the row once', async () => {
      await seed(app, BASE_REFERENCES);
      const res = await uploadCsv(app, 'employees', csv('0,,someday,x,'), { query: { on_error: 'skip' } });

      expectReport(res, { status: 'succeeded_with_rejects', rows_read: 1, inserted: 0, rejected: 1 });
      expect(res.body.errors).toEqual([
        { line: 1, column: 'id', value: '0', code: 'out_of_range', message: expect.any(String) },
        { line: 1, column: 'name', value: '', code: 'required', message: expect.any(String) },
        { line: 1, column: 'hire_date', value: 'someday', code: 'invalid_date', message: expect.any(String) },
        { line: 1, column: 'department_id', value: 'x', code: 'invalid_integer', message: expect.any(String) },
        { line: 1, column: 'job_id', value: '', code: 'required', message: expect.any(String) },
      ]);
    });

    it('checks department names and job titles the same way', async () => {
      const depts = await uploadCsv(app, 'departments', csv('1,', `2,${'d'.repeat(256)}`, 'x,Sales'), { query: { on_error: 'skip' } });
      const jobs = await uploadCsv(app, 'jobs', csv('1,', '-2,Dev', '3,Dev,Senior'), { query: { on_error: 'skip' } });

      expectReport(depts, { inserted: 0, rejected: 3 });
      expect(errorCodes(depts.body.errors)).toEqual([
        { at: 1, column: 'name', code: 'required' },
        { at: 2, column: 'name', code: 'too_long' },
        { at: 3, column: 'id', code: 'invalid_integer' },
      ]);
      expectReport(jobs, { inserted: 0, rejected: 3 });
      expect(errorCodes(jobs.body.errors)).toEqual([
        { at: 1, column: 'title', code: 'required' },
        { at: 2, column: 'id', code: 'out_of_range' },
        { at: 3, column: null, code: 'wrong_column_count' },
      ]);
      await expect(snapshot(app)).resolves.toEqual({ departments: [], jobs: [], employees: [] });
    });

    it('orders errors by line, whether found while parsing or against the database', async () => {
      await seed(app, BASE_REFERENCES);
      const body = csv('2,A,2021-01-01,99,1', '3,B,not-a-date,1,1', '4,C,2021-01-01,1,88', '5,D,2021-01-01,1');
      const res = await uploadCsv(app, 'employees', body, { query: { on_error: 'skip' } });

      expect(errorCodes(res.body.errors)).toEqual([
        { at: 1, column: 'department_id', code: 'unknown_department' },
        { at: 2, column: 'hire_date', code: 'invalid_date' },
        { at: 3, column: 'job_id', code: 'unknown_job' },
        { at: 4, column: null, code: 'wrong_column_count' },
      ]);
    });
  });

  describe('on_error=abort (the default)', () => {
    it('answers 422 problem details and writes nothing when any row is bad', async () => {
      const before = await seeded();
      const body = csv('id,name,hire_date,department_id,job_id', '1,Ada,2021-01-01,1,1', '2,Bob,2021-02-30,1,1', '3,Cy,2021-01-03,2,2');
      const res = await uploadCsv(app, 'employees', body, { filename: 'hires.csv' });

      const errors = expectRowsRejected(res);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(errors).toEqual([
        {
          line: 3,
          column: 'hire_date',
          value: '2021-02-30',
          code: 'invalid_date',
          message: 'hire_date "2021-02-30" is not a valid ISO 8601 date or date-time',
        },
      ]);
      expect(res.body.report).toMatchObject({
        table: 'employees',
        source: 'hires.csv',
        mode: 'insert',
        on_error: 'abort',
        status: 'failed',
        rows_read: 3,
        inserted: 0,
        updated: 0,
        skipped: 0,
        rejected: 1,
        errors_truncated: false,
        detected: { format: 'csv', header: true },
      });
      expect(res.body.detail).toContain('nothing was written');
      await expect(snapshot(app)).resolves.toEqual(before);
    });

    it('also aborts on errors only the database can find (foreign keys, duplicates)', async () => {
      const before = await seeded();
      const res = await uploadCsv(app, 'employees', csv('1,Ada,2021-01-01,1,1', '2,Bob,2021-01-02,1,5'));

      expect(errorCodes(expectRowsRejected(res))).toEqual([{ at: 2, column: 'job_id', code: 'unknown_job' }]);
      await expect(snapshot(app)).resolves.toEqual(before);
    });

    it('is what on_error=abort asks for explicitly', async () => {
      const before = await seeded();
      const res = await uploadCsv(app, 'departments', csv('3,Ops', '4,'), { query: { on_error: 'abort' } });

      expect(res.body.report).toMatchObject({ on_error: 'abort', status: 'failed' });
      expect(errorCodes(expectRowsRejected(res))).toEqual([{ at: 2, column: 'name', code: 'required' }]);
      await expect(snapshot(app)).resolves.toEqual(before);
    });

    it('reports every problem of data/hired_employees_broken.csv and writes nothing', async () => {
      const before = await seeded();
      const res = await uploadCsv(app, 'employees', dataFile('hired_employees_broken.csv'), { filename: 'hired_employees_broken.csv' });

      const errors = expectRowsRejected(res);
      expect(errors).toEqual([
        { line: 3, column: 'name', value: '', code: 'required', message: expect.any(String) },
        { line: 4, column: 'hire_date', value: '2021-02-30', code: 'invalid_date', message: expect.any(String) },
        { line: 5, column: 'department_id', value: '99', code: 'unknown_department', message: expect.any(String) },
        { line: 6, column: null, value: null, code: 'wrong_column_count', message: expect.any(String) },
      ]);
      expect(res.body.report).toMatchObject({ rows_read: 5, rejected: 4, inserted: 0 });
      await expect(snapshot(app)).resolves.toEqual(before);
    });

    it('records the failed ingestion and its rejected rows', async () => {
      await seeded();
      const res = await uploadCsv(app, 'employees', dataFile('hired_employees_broken.csv'));

      expectRowsRejected(res);
      await expect(ingestionRecords(app)).resolves.toEqual([
        expect.objectContaining({ id: res.body.ingestion_id, status: 'failed', rows_read: 5, inserted: 0, rejected: 4 }),
      ]);
      await expect(rejectRecords(app, res.body.ingestion_id)).resolves.toEqual([
        { line: 3, column: 'name', code: 'required' },
        { line: 4, column: 'hire_date', code: 'invalid_date' },
        { line: 5, column: 'department_id', code: 'unknown_department' },
        { line: 6, column: null, code: 'wrong_column_count' },
      ]);
    });
  });

  describe('on_error=skip', () => {
    it('writes the good rows and reports the bad ones (query parameter)', async () => {
      await seeded();
      const res = await uploadCsv(app, 'employees', dataFile('hired_employees_broken.csv'), { query: { on_error: 'skip' } });

      expectReport(res, { on_error: 'skip', status: 'succeeded_with_rejects', rows_read: 5, inserted: 1, rejected: 4 });
      expect(errorCodes(res.body.errors)).toEqual([
        { at: 3, column: 'name', code: 'required' },
        { at: 4, column: 'hire_date', code: 'invalid_date' },
        { at: 5, column: 'department_id', code: 'unknown_department' },
        { at: 6, column: null, code: 'wrong_column_count' },
      ]);
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 1001, name: 'Ada Lovelace', hire_date: '2021-03-31T23:59:59.000Z', department_id: 1, job_id: 2 },
      ]);
      await expect(get(app.baseUrl, '/employees/1001')).resolves.toMatchObject({ status: 200, body: { name: 'Ada Lovelace' } });
    });

    it('is read from a multipart field too', async () => {
      const res = await uploadCsv(app, 'departments', csv('1,Sales', '2,', '3,Ops'), { fields: { on_error: 'skip' } });

      expectReport(res, { on_error: 'skip', status: 'succeeded_with_rejects', inserted: 2, rejected: 1 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales' },
        { id: 3, name: 'Ops' },
      ]);
    });
  });

  describe('file-level errors → 400 and nothing written', () => {
    /** Uploads departments, expects a 400 of this type, nothing written, and a failed ingestion. */
    async function expectFileError(body: string | Buffer, type: string, query: Record<string, string> = {}) {
      const before = await snapshot(app);
      const res = await uploadCsv(app, 'departments', body, { query });
      expectProblem(res, 400, type);
      await expect(snapshot(app)).resolves.toEqual(before);
      expect(res.body.ingestion_id).toEqual(expect.any(Number));
      const records = await ingestionRecords(app);
      expect(records.find((r) => r.id === res.body.ingestion_id)).toMatchObject({ status: 'failed', inserted: 0, updated: 0 });
      return res;
    }

    const latin1 = (text: string) => Buffer.from(text, 'latin1');

    it('invalid UTF-8 → invalid_encoding naming the line', async () => {
      const res = await expectFileError(latin1('1,Sales\n2,Support\n3,Jos\xe9 M\xfcller\n4,Ops\n'), '/problems/invalid_encoding');
      expect(res.body.line).toBe(3);
      expect(res.body.detail).toMatch(/line 3/);
    });

    it('invalid UTF-8 in the header → line 1', async () => {
      const res = await expectFileError(latin1('id,nam\xe9\n1,Sales\n'), '/problems/invalid_encoding');
      expect(res.body.line).toBe(1);
    });

    it('a multi-byte sequence cut off at the end of the file → its line', async () => {
      const body = Buffer.concat([Buffer.from('1,Sales\n2,Tok', 'utf8'), Buffer.from([0xe6, 0x9d])]);
      const res = await expectFileError(body, '/problems/invalid_encoding');
      expect(res.body.line).toBe(2);
    });

    it('invalid UTF-8 counts physical lines, including those inside quoted fields', async () => {
      const res = await expectFileError(latin1('1,"Multi\nline"\n\n2,Caf\xe9\n'), '/problems/invalid_encoding');
      expect(res.body.line).toBe(4);
    });

    it('invalid UTF-8 still fails the whole file with on_error=skip', async () => {
      const res = await expectFileError(latin1('1,Sales\n2,Caf\xe9\n'), '/problems/invalid_encoding', { on_error: 'skip' });
      expect(res.body.line).toBe(2);
    });

    it('invalid UTF-8 near the end of a large file undoes the rows already written', async () => {
      const rows = Array.from({ length: 3000 }, (_, i) => `${i + 1},Department number ${i + 1}`);
      const body = Buffer.concat([Buffer.from(csv(...rows), 'utf8'), latin1('3001,Caf\xe9\n')]);
      const res = await expectFileError(body, '/problems/invalid_encoding', { on_error: 'skip' });
      expect(res.body.line).toBe(3001);
    });

    it('an unterminated quote → unterminated_quote naming the line it opens on', async () => {
      const res = await expectFileError('1,Sales\n2,Support\n3,Ops\n4,"Legal\n5,Training\n', '/problems/unterminated_quote');
      expect(res.body.line).toBe(4);
      expect(res.body.detail).toMatch(/^line 4:/);
    });

    it('an unterminated quote after a multi-line field names its physical line', async () => {
      const res = await expectFileError('id,name\n1,"Two\nlines"\n\n2,"Never closed\n', '/problems/unterminated_quote', {
        on_error: 'skip',
      });
      expect(res.body.line).toBe(5);
    });

    it('an empty file → empty_file', async () => {
      await expectFileError('', '/problems/empty_file');
    });

    it('a file of blank lines → empty_file', async () => {
      await expectFileError('\n\n   \n\r\n', '/problems/empty_file');
    });

    it('a header without data rows → no_data_rows', async () => {
      await expectFileError('id,name\n', '/problems/no_data_rows');
    });

    it('a header followed by blank lines → no_data_rows', async () => {
      await expectFileError('id,name\n\n\n', '/problems/no_data_rows');
    });
  });

  describe('request errors', () => {
    async function expectNothingWritten(action: () => Promise<void>): Promise<void> {
      const before = await seeded();
      await action();
      await expect(snapshot(app)).resolves.toEqual(before);
    }

    it('a text/csv body (not multipart) → 415', async () => {
      await expectNothingWritten(async () => {
        const res = await postRaw(app.baseUrl, '/departments/upload', '3,Ops\n', 'text/csv');
        expectProblem(res, 415, '/problems/unsupported_media_type');
      });
    });

    it('a JSON body → 415', async () => {
      await expectNothingWritten(async () => {
        const res = await postJson(app.baseUrl, '/jobs/upload', { rows: [{ id: 3, title: 'Ops' }] });
        expectProblem(res, 415, '/problems/unsupported_media_type');
        expect(res.body.detail).toContain('multipart/form-data');
      });
    });

    it('a url-encoded form → 415', async () => {
      await expectNothingWritten(async () => {
        const res = await postRaw(app.baseUrl, '/ingest/csv', 'table=departments&file=3,Ops', 'application/x-www-form-urlencoded');
        expectProblem(res, 415, '/problems/unsupported_media_type');
      });
    });

    it('multipart without a file part → 400 missing_file', async () => {
      await expectNothingWritten(async () => {
        const res = await postFieldsOnly(app.baseUrl, '/employees/upload', { mode: 'insert', on_error: 'skip' });
        expectProblem(res, 400, '/problems/missing_file');
      });
    });

    const badOptions: [string, Record<string, string>][] = [
      ['mode=merge', { mode: 'merge' }],
      ['on_error=ignore', { on_error: 'ignore' }],
      ['header=maybe', { header: 'maybe' }],
    ];

    it.each(badOptions)('an invalid option %s (query) → 400 invalid_request', async (_label, query) => {
      await expectNothingWritten(async () => {
        const res = await uploadCsv(app, 'departments', csv('3,Ops'), { query });
        expectProblem(res, 400, '/problems/invalid_request');
        expect(res.body.detail).toContain(Object.keys(query)[0]);
      });
    });

    it.each(badOptions)('an invalid option %s (field) → 400 invalid_request', async (_label, fields) => {
      await expectNothingWritten(async () => {
        const res = await uploadCsv(app, 'departments', csv('3,Ops'), { fields });
        expectProblem(res, 400, '/problems/invalid_request');
        expect(res.body.detail).toContain(Object.keys(fields)[0]);
      });
    });

    it('POST /ingest/csv without a table, of a file without a header → 400 missing_table', async () => {
      await expectNothingWritten(async () => {
        const res = await ingestCsv(app, csv('3,Ops'));
        expectProblem(res, 400, '/problems/missing_table');
        expect(res.body.detail).toContain('table');
      });
    });

    it('POST /ingest/csv with an unknown table (field) → 400 naming the field', async () => {
      await expectNothingWritten(async () => {
        const res = await ingestCsv(app, csv('3,Ops'), { fields: { table: 'users' } });
        expectProblem(res, 400, '/problems/invalid_request');
        expect(res.body.detail).toContain('table');
      });
    });

    it('POST /ingest/csv with an unknown table (query) → 400', async () => {
      await expectNothingWritten(async () => {
        const res = await ingestCsv(app, csv('3,Ops'), { query: { table: 'ingestions' } });
        expectProblem(res, 400, '/problems/invalid_request');
        expect(res.body.detail).toContain('table');
      });
    });
  });
  describe('every violation of a row is reported', () => {
    it('reports an empty name and an unknown department on the same row, counting one rejected row', async () => {
      const before = await seeded();
      const res = await uploadCsv(app, 'employees', csv(GOOD_EMPLOYEE, '2,,2021-01-01,999,1', '3,Bad Date,2021-02-30,1,777'));

      const errors = expectRowsRejected(res);
      expect(errorCodes(errors)).toEqual([
        { at: 2, column: 'name', code: 'required' },
        { at: 2, column: 'department_id', code: 'unknown_department' },
        { at: 3, column: 'hire_date', code: 'invalid_date' },
        { at: 3, column: 'job_id', code: 'unknown_job' },
      ]);
      expect(res.body.report.rejected).toBe(2);
      await expect(snapshot(app)).resolves.toEqual(before);
    });

    it('does the same for a JSON batch row', async () => {
      await seeded();
      const res = await postJson(app.baseUrl, '/employees/batch', {
        rows: [{ id: 5, name: '', hire_date: '2021-01-01', department_id: 999, job_id: 1 }],
      });
      expect(errorCodes(expectRowsRejected(res))).toEqual([
        { at: 0, column: 'name', code: 'required' },
        { at: 0, column: 'department_id', code: 'unknown_department' },
      ]);
    });
  });
});

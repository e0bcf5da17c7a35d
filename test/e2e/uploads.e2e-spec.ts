import { useTestApp } from '../harness/test-app';
import { get } from '../harness/http';
import {
  BASE_REFERENCES,
  csv,
  dataFile,
  expectReport,
  ingestCsv,
  seed,
  snapshot,
  tableRows,
  uploadCsv,
} from '../harness/ingest-helpers';

/** Rows of a simple headerless sample file, split on the first comma only for 2-column tables. */
function sampleRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const quoted = /^(\d+),"(.*)"$/.exec(line);
      return quoted ? [quoted[1], quoted[2]] : line.split(',');
    });
}

describe('CSV uploads (happy paths)', () => {
  const app = useTestApp();

  describe('POST /<table>/upload with the sample exports in data/', () => {
    it('loads data/departments.csv (headerless) and reports every field', async () => {
      const file = dataFile('departments.csv');
      const res = await uploadCsv(app, 'departments', file, { filename: 'departments.csv' });

      expectReport(res, {
        table: 'departments',
        source: 'departments.csv',
        source_kind: 'csv',
        mode: 'insert',
        on_error: 'abort',
        status: 'succeeded',
        rows_read: 12,
        inserted: 12,
        updated: 0,
        skipped: 0,
        rejected: 0,
        errors: [],
        errors_truncated: false,
        detected: { format: 'csv', header: false, delimiter: ',', bom: false, bytes: file.length },
      });
      expect(res.body.detected.columns).toBeUndefined();

      const expected = sampleRows(file.toString('utf8')).map(([id, name]) => ({ id: Number(id), name }));
      await expect(tableRows(app, 'departments')).resolves.toEqual(expected);
      const page = await get(app.baseUrl, '/departments?limit=1000');
      expect(page.status).toBe(200);
      expect(page.body).toEqual({ items: expected, total: 12, limit: 1000, offset: 0 });
    });

    it('loads data/jobs.csv, including a quoted title with a comma', async () => {
      const file = dataFile('jobs.csv');
      const res = await uploadCsv(app, 'jobs', file, { filename: 'jobs.csv' });

      expectReport(res, { table: 'jobs', source: 'jobs.csv', status: 'succeeded', rows_read: 12, inserted: 12 });
      const expected = sampleRows(file.toString('utf8')).map(([id, title]) => ({ id: Number(id), title }));
      await expect(tableRows(app, 'jobs')).resolves.toEqual(expected);
      expect(expected).toContainEqual({ id: 11, title: 'Engineer, Senior' });
      await expect(get(app.baseUrl, '/jobs/11')).resolves.toMatchObject({ status: 200, body: { id: 11, title: 'Engineer, Senior' } });
    });

    it('loads data/hired_employees.csv after its departments and jobs', async () => {
      await uploadCsv(app, 'departments', dataFile('departments.csv'));
      await uploadCsv(app, 'jobs', dataFile('jobs.csv'));
      const file = dataFile('hired_employees.csv');
      const res = await uploadCsv(app, 'employees', file, { filename: 'hired_employees.csv' });

      expectReport(res, {
        table: 'employees',
        source: 'hired_employees.csv',
        status: 'succeeded',
        rows_read: 61,
        inserted: 61,
        rejected: 0,
        detected: { format: 'csv', header: false, delimiter: ',', bom: false, bytes: file.length },
      });
      const expected = sampleRows(file.toString('utf8')).map(([id, name, hireDate, dept, job]) => ({
        id: Number(id),
        name,
        hire_date: hireDate.replace('Z', '.000Z'),
        department_id: Number(dept),
        job_id: Number(job),
      }));
      await expect(tableRows(app, 'employees')).resolves.toEqual(expected);
      await expect(get(app.baseUrl, '/employees/61')).resolves.toMatchObject({
        status: 200,
        body: { id: 61, name: 'Marcelo Gonzalez', hire_date: '2021-07-27T16:02:08.000Z', department_id: 1, job_id: 2 },
      });
      await expect(get(app.baseUrl, '/employees/57')).resolves.toMatchObject({ body: { name: 'Wei Müller' } });
    });
  });

  describe('POST /ingest/csv', () => {
    it('takes the table from a form field sent before the file', async () => {
      const res = await ingestCsv(app, csv('1,Sales', '2,Support'), { fields: { table: 'departments' }, filename: 'depts.csv' });

      expectReport(res, { table: 'departments', source: 'depts.csv', status: 'succeeded', inserted: 2 });
      await expect(snapshot(app)).resolves.toEqual({
        departments: [
          { id: 1, name: 'Sales' },
          { id: 2, name: 'Support' },
        ],
        jobs: [],
        employees: [],
      });
    });

    it('takes the table from the query string', async () => {
      const res = await ingestCsv(app, csv('7,Data Engineer'), { query: { table: 'jobs' } });

      expectReport(res, { table: 'jobs', status: 'succeeded', inserted: 1 });
      await expect(tableRows(app, 'jobs')).resolves.toEqual([{ id: 7, title: 'Data Engineer' }]);
    });

    it('loads employees with a header and takes mode and on_error from fields too', async () => {
      await seed(app, BASE_REFERENCES);
      await seed(app, { employees: [{ id: 1, name: 'Old', hire_date: '2020-01-01T00:00:00.000Z', department_id: 1, job_id: 1 }] });
      const body = csv('id,name,hire_date,department_id,job_id', '1,New,2021-07-27,2,2', '2,Other,2021-07-28,1,1');
      const res = await ingestCsv(app, body, { fields: { table: 'employees', mode: 'upsert', on_error: 'skip' } });

      expectReport(res, { table: 'employees', mode: 'upsert', on_error: 'skip', status: 'succeeded', inserted: 1, updated: 1 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 1, name: 'New', hire_date: '2021-07-27T00:00:00.000Z', department_id: 2, job_id: 2 },
        { id: 2, name: 'Other', hire_date: '2021-07-28T00:00:00.000Z', department_id: 1, job_id: 1 },
      ]);
    });
  });

  describe('hire_date is stored and returned as ISO 8601 UTC with milliseconds', () => {
    const cases: [string, string][] = [
      ['2021-07-27T16:02:08Z', '2021-07-27T16:02:08.000Z'],
      ['2021-07-27', '2021-07-27T00:00:00.000Z'],
      ['2021-12-31T23:30:00-05:00', '2022-01-01T04:30:00.000Z'],
      ['2021-06-01T10:00:00+02:00', '2021-06-01T08:00:00.000Z'],
      ['2021-06-01T10:00:00.123Z', '2021-06-01T10:00:00.123Z'],
      ['2021-06-01T10:00:00', '2021-06-01T10:00:00.000Z'],
      ['2020-02-29T12:00Z', '2020-02-29T12:00:00.000Z'],
      ['0001-01-01', '0001-01-01T00:00:00.000Z'],
      ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
      ['1900-01-01T00:00:00+14:00', '1899-12-31T10:00:00.000Z'],
    ];

    it.each(cases)('%s → %s', async (input, stored) => {
      await seed(app, BASE_REFERENCES);
      const res = await uploadCsv(app, 'employees', csv(`1,Ada,${input},1,2`));

      expectReport(res, { status: 'succeeded', inserted: 1 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 1, name: 'Ada', hire_date: stored, department_id: 1, job_id: 2 },
      ]);
      await expect(get(app.baseUrl, '/employees/1')).resolves.toMatchObject({ status: 200, body: { hire_date: stored } });
    });
  });

  describe('parallel uploads', () => {
    it('loads every row of uploads sent at the same time', async () => {
      const files = [1, 2, 3, 4].map((k) => csv(...Array.from({ length: 50 }, (_, i) => `${k * 100 + i},Job ${k}-${i}`)));
      const results = await Promise.all(files.map((file) => uploadCsv(app, 'jobs', file)));

      for (const res of results) expectReport(res, { status: 'succeeded', inserted: 50 });
      expect(new Set(results.map((r) => r.body.id)).size).toBe(4);
      const rows = await tableRows(app, 'jobs');
      expect(rows).toHaveLength(200);
      expect(rows).toContainEqual({ id: 449, title: 'Job 4-49' });
    });
  });

  describe('text is loaded as plain data', () => {
    it('stores SQL-looking text verbatim and leaves the tables intact', async () => {
      const hostile = "x'); DROP TABLE employees;--";
      await seed(app, BASE_REFERENCES);
      const res = await uploadCsv(app, 'employees', csv(`1,"${hostile}",2021-01-01,1,1`, `2,Robert'); DELETE FROM jobs;--,2021-01-02,2,2`));

      expectReport(res, { status: 'succeeded', inserted: 2 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 1, name: hostile, hire_date: '2021-01-01T00:00:00.000Z', department_id: 1, job_id: 1 },
        { id: 2, name: "Robert'); DELETE FROM jobs;--", hire_date: '2021-01-02T00:00:00.000Z', department_id: 2, job_id: 2 },
      ]);
      await expect(tableRows(app, 'jobs')).resolves.toEqual(BASE_REFERENCES.jobs);
      await expect(get(app.baseUrl, '/employees/1')).resolves.toMatchObject({ status: 200, body: { name: hostile } });
    });

    it('stores hostile department names and job titles verbatim', async () => {
      await uploadCsv(app, 'departments', csv(`1,"'; DROP TABLE departments;--"`));
      await uploadCsv(app, 'jobs', csv(`1,"""); DROP TABLE jobs; --"`));

      await expect(snapshot(app)).resolves.toEqual({
        departments: [{ id: 1, name: "'; DROP TABLE departments;--" }],
        jobs: [{ id: 1, title: '"); DROP TABLE jobs; --' }],
        employees: [],
      });
    });
  });
});

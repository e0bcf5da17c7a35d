import { useTestApp } from '../harness/test-app';
import {
  BASE_REFERENCES,
  csv,
  errorCodes,
  expectReport,
  expectRowsRejected,
  seed,
  snapshot,
  tableRows,
  uploadCsv,
} from '../harness/ingest-helpers';

const SALES = { id: 1, name: 'Sales' };
const ENGINEERING = { id: 2, name: 'Engineering' };

describe('ingest modes, unique names and foreign keys', () => {
  const app = useTestApp();

  describe('mode=insert (the default)', () => {
    it('rejects an id that is already in the table as duplicate_id, and aborts by default', async () => {
      await seed(app, { departments: [SALES] });
      const res = await uploadCsv(app, 'departments', csv('1,Renamed', '3,Ops'));

      const errors = expectRowsRejected(res);
      expect(res.body.report.mode).toBe('insert');
      expect(errors).toEqual([{ line: 1, column: 'id', value: '1', code: 'duplicate_id', message: expect.stringContaining('1') }]);
      await expect(tableRows(app, 'departments')).resolves.toEqual([SALES]);
    });

    it('with on_error=skip keeps the existing row and inserts the new ones', async () => {
      await seed(app, { departments: [SALES] });
      const res = await uploadCsv(app, 'departments', csv('1,Renamed', '3,Ops'), { query: { mode: 'insert', on_error: 'skip' } });

      expectReport(res, { mode: 'insert', status: 'succeeded_with_rejects', inserted: 1, updated: 0, skipped: 0, rejected: 1 });
      expect(errorCodes(res.body.errors)).toEqual([{ at: 1, column: 'id', code: 'duplicate_id' }]);
      await expect(tableRows(app, 'departments')).resolves.toEqual([SALES, { id: 3, name: 'Ops' }]);
    });

    it('rejects the second occurrence of an id repeated within one file', async () => {
      const res = await uploadCsv(app, 'departments', csv('5,First', '6,Other', '5,Second'), { query: { on_error: 'skip' } });

      expectReport(res, { inserted: 2, rejected: 1 });
      expect(res.body.errors).toEqual([
        { line: 3, column: 'id', value: '5', code: 'duplicate_id', message: expect.stringContaining('line 1') },
      ]);
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 5, name: 'First' },
        { id: 6, name: 'Other' },
      ]);
    });

    it('aborts the whole file on an id repeated within it', async () => {
      const res = await uploadCsv(app, 'jobs', csv('5,First', '5,Second'));

      expect(errorCodes(expectRowsRejected(res))).toEqual([{ at: 2, column: 'id', code: 'duplicate_id' }]);
      await expect(tableRows(app, 'jobs')).resolves.toEqual([]);
    });
  });

  describe('mode=upsert', () => {
    it('updates existing rows and inserts new ones, counting each', async () => {
      await seed(app, { departments: [SALES, ENGINEERING] });
      const res = await uploadCsv(app, 'departments', csv('2,Research', '3,Ops'), { query: { mode: 'upsert' } });

      expectReport(res, { mode: 'upsert', status: 'succeeded', rows_read: 2, inserted: 1, updated: 1, skipped: 0, rejected: 0 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([SALES, { id: 2, name: 'Research' }, { id: 3, name: 'Ops' }]);
    });

    it('replaces every column of an existing employee', async () => {
      await seed(app, BASE_REFERENCES);
      await seed(app, { employees: [{ id: 1, name: 'Old', hire_date: '2020-01-01T00:00:00.000Z', department_id: 1, job_id: 1 }] });
      const res = await uploadCsv(app, 'employees', csv('1,New Name,2021-12-31T23:30:00-05:00,2,2'), { query: { mode: 'upsert' } });

      expectReport(res, { inserted: 0, updated: 1 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 1, name: 'New Name', hire_date: '2022-01-01T04:30:00.000Z', department_id: 2, job_id: 2 },
      ]);
    });

    it('lets the last occurrence of an id repeated within one file win', async () => {
      await seed(app, { departments: [SALES] });
      const res = await uploadCsv(app, 'departments', csv('5,First', '1,Sales One', '5,Second', '1,Sales Two'), {
        query: { mode: 'upsert' },
      });

      expectReport(res, { status: 'succeeded', rows_read: 4, inserted: 1, updated: 1, unchanged: 0, duplicate_in_file: 2, rejected: 0 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales Two' },
        { id: 5, name: 'Second' },
      ]);
    });

    it('lets the last occurrence win when it equals the stored row and an earlier one does not', async () => {
      await seed(app, { departments: [SALES] });
      const res = await uploadCsv(app, 'departments', csv('1,Interim', '1,Sales', '7,Ops'), { query: { mode: 'upsert' } });

      expectReport(res, { status: 'succeeded', rows_read: 3, inserted: 1, updated: 1, unchanged: 0, duplicate_in_file: 1, rejected: 0 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([SALES, { id: 7, name: 'Ops' }]);
    });

    it('counts rows identical to the stored ones as unchanged, apart from the updated ones', async () => {
      await seed(app, { departments: [SALES, ENGINEERING] });
      const res = await uploadCsv(app, 'departments', csv('1,Sales', '2,Research', '3,Ops'), { query: { mode: 'upsert' } });

      expectReport(res, { status: 'succeeded', rows_read: 3, inserted: 1, updated: 1, unchanged: 1, skipped: 0, rejected: 0 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([SALES, { id: 2, name: 'Research' }, { id: 3, name: 'Ops' }]);
    });

    it('counts an employee upserted with the same values, the same instant written another way, as unchanged', async () => {
      await seed(app, BASE_REFERENCES);
      await seed(app, { employees: [{ id: 1, name: 'Ann', hire_date: '2021-01-01T05:00:00.000Z', department_id: 1, job_id: 1 }] });
      const res = await uploadCsv(app, 'employees', csv('1,Ann,2021-01-01T00:00:00-05:00,1,1', '1,Ann,2021-01-01T05:00:00Z,1,1'), {
        query: { mode: 'upsert' },
      });
      expectReport(res, { status: 'succeeded', rows_read: 2, inserted: 0, updated: 0, unchanged: 1, duplicate_in_file: 1, rejected: 0 });
    });

    it('adds its counts up to the rows read, whatever the mix', async () => {
      await seed(app, { departments: [SALES, ENGINEERING] });
      const file = csv('1,Sales', '2,Research', '3,Ops', '3,Ops Again', '4,', '5,Sales', '6,Legal');
      for (const mode of ['upsert', 'skip', 'insert']) {
        const res = await uploadCsv(app, 'departments', file, { query: { mode, on_error: 'skip', dry_run: 'true' } });
        const { rows_read, inserted, updated, unchanged, skipped, duplicate_in_file, rejected } = res.body;
        expect({ mode, sum: inserted + updated + unchanged + skipped + duplicate_in_file + rejected }).toEqual({ mode, sum: rows_read });
        expect(rows_read).toBe(7);
      }
    });

    it('is read from a multipart field', async () => {
      await seed(app, { departments: [SALES] });
      const res = await uploadCsv(app, 'departments', csv('1,Revenue'), { fields: { mode: 'upsert' } });

      expectReport(res, { mode: 'upsert', updated: 1 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([{ id: 1, name: 'Revenue' }]);
    });

    it('rolls the updates back too when a row is rejected', async () => {
      await seed(app, { departments: [SALES, ENGINEERING] });
      const res = await uploadCsv(app, 'departments', csv('1,Changed', '2,'), { query: { mode: 'upsert' } });

      expectRowsRejected(res);
      await expect(tableRows(app, 'departments')).resolves.toEqual([SALES, ENGINEERING]);
    });
  });

  describe('mode=skip', () => {
    it('keeps existing rows unchanged and counts them as skipped', async () => {
      await seed(app, { departments: [SALES] });
      const res = await uploadCsv(app, 'departments', csv('1,Ignored', '3,Ops'), { query: { mode: 'skip' } });

      expectReport(res, { mode: 'skip', status: 'succeeded', rows_read: 2, inserted: 1, updated: 0, skipped: 1, rejected: 0 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([SALES, { id: 3, name: 'Ops' }]);
    });

    it('lets the first occurrence of an id repeated within one file win', async () => {
      const res = await uploadCsv(app, 'jobs', csv('5,First', '5,Second', '5,Third'), { query: { mode: 'skip' } });

      expectReport(res, { status: 'succeeded', inserted: 1, skipped: 0, duplicate_in_file: 2, rejected: 0 });
      await expect(tableRows(app, 'jobs')).resolves.toEqual([{ id: 5, title: 'First' }]);
    });

    it('keeps an existing employee whatever the file says about it', async () => {
      await seed(app, BASE_REFERENCES);
      const existing = { id: 1, name: 'Kept', hire_date: '2020-01-01T00:00:00.000Z', department_id: 1, job_id: 1 };
      await seed(app, { employees: [existing] });
      const res = await uploadCsv(app, 'employees', csv('1,Changed,2021-01-01,2,2', '2,New,2021-01-02,2,1'), { fields: { mode: 'skip' } });

      expectReport(res, { inserted: 1, skipped: 1 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        existing,
        { id: 2, name: 'New', hire_date: '2021-01-02T00:00:00.000Z', department_id: 2, job_id: 1 },
      ]);
    });
  });

  describe('department names and job titles are unique', () => {
    it('rejects a new id with a name already in the table as duplicate_name', async () => {
      await seed(app, { departments: [SALES] });
      const res = await uploadCsv(app, 'departments', csv('7,Sales'));

      expect(expectRowsRejected(res)).toEqual([
        { line: 1, column: 'name', value: 'Sales', code: 'duplicate_name', message: expect.stringContaining('Sales') },
      ]);
      await expect(tableRows(app, 'departments')).resolves.toEqual([SALES]);
    });

    it('rejects a new id with a title already in the table', async () => {
      await seed(app, { jobs: [{ id: 1, title: 'Manager' }] });
      const res = await uploadCsv(app, 'jobs', csv('2,Manager', '3,Director'), { query: { on_error: 'skip' } });

      expectReport(res, { inserted: 1, rejected: 1 });
      expect(errorCodes(res.body.errors)).toEqual([{ at: 1, column: 'title', code: 'duplicate_name' }]);
      await expect(tableRows(app, 'jobs')).resolves.toEqual([
        { id: 1, title: 'Manager' },
        { id: 3, title: 'Director' },
      ]);
    });

    it('rejects the second of two new ids with the same name in one file', async () => {
      const res = await uploadCsv(app, 'departments', csv('1,Sales', '2,Sales'), { query: { on_error: 'skip' } });

      expectReport(res, { inserted: 1, rejected: 1 });
      expect(errorCodes(res.body.errors)).toEqual([{ at: 2, column: 'name', code: 'duplicate_name' }]);
      await expect(tableRows(app, 'departments')).resolves.toEqual([SALES]);
    });

    it('compares names after trimming', async () => {
      await seed(app, { departments: [SALES] });
      const res = await uploadCsv(app, 'departments', csv('2,  Sales  '), { query: { on_error: 'skip' } });

      expect(errorCodes(res.body.errors)).toEqual([{ at: 1, column: 'name', code: 'duplicate_name' }]);
    });

    it('lets an upsert keep its own name', async () => {
      await seed(app, { departments: [SALES, ENGINEERING] });
      const res = await uploadCsv(app, 'departments', csv('1,Sales', '2,Engineering'), { query: { mode: 'upsert' } });

      expectReport(res, { status: 'succeeded', updated: 0, unchanged: 2 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([SALES, ENGINEERING]);
    });

    it("rejects an upsert that renames to another row's name", async () => {
      await seed(app, { departments: [SALES, ENGINEERING] });
      const res = await uploadCsv(app, 'departments', csv('2,Sales'), { query: { mode: 'upsert' } });

      expect(errorCodes(expectRowsRejected(res))).toEqual([{ at: 1, column: 'name', code: 'duplicate_name' }]);
      await expect(tableRows(app, 'departments')).resolves.toEqual([SALES, ENGINEERING]);
    });
  });

  describe('foreign keys', () => {
    it('rejects unknown department_id and job_id and loads employees whose references exist', async () => {
      await seed(app, BASE_REFERENCES);
      const body = csv('1,Ada,2021-01-01,1,2', '2,Bob,2021-01-02,3,1', '3,Cy,2021-01-03,2,9', '4,Di,2021-01-04,2,2');
      const res = await uploadCsv(app, 'employees', body, { query: { on_error: 'skip' } });

      expectReport(res, { status: 'succeeded_with_rejects', inserted: 2, rejected: 2 });
      expect(res.body.errors).toEqual([
        { line: 2, column: 'department_id', value: '3', code: 'unknown_department', message: expect.stringContaining('3') },
        { line: 3, column: 'job_id', value: '9', code: 'unknown_job', message: expect.stringContaining('9') },
      ]);
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 1, name: 'Ada', hire_date: '2021-01-01T00:00:00.000Z', department_id: 1, job_id: 2 },
        { id: 4, name: 'Di', hire_date: '2021-01-04T00:00:00.000Z', department_id: 2, job_id: 2 },
      ]);
    });

    it('rejects every employee when no departments or jobs exist yet', async () => {
      const res = await uploadCsv(app, 'employees', csv('1,Ada,2021-01-01,1,1'));

      expect(errorCodes(expectRowsRejected(res))).toEqual([
        { at: 1, column: 'department_id', code: 'unknown_department' },
        { at: 1, column: 'job_id', code: 'unknown_job' },
      ]);
      expect(res.body.report.rejected).toBe(1);
      await expect(snapshot(app)).resolves.toEqual({ departments: [], jobs: [], employees: [] });
    });

    it('sees departments and jobs loaded by earlier uploads', async () => {
      await uploadCsv(app, 'departments', csv('10,Ten'));
      await uploadCsv(app, 'jobs', csv('20,Twenty'));
      const res = await uploadCsv(app, 'employees', csv('1,Ada,2021-01-01,10,20'));

      expectReport(res, { inserted: 1 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 1, name: 'Ada', hire_date: '2021-01-01T00:00:00.000Z', department_id: 10, job_id: 20 },
      ]);
    });
  });
});

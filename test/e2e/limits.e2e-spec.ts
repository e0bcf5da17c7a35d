import { useTestApp } from '../harness/test-app';
import { get } from '../harness/http';
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

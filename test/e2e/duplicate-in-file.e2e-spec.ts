import { UploadIds } from '../../src/ingest/pipeline/upload-ids';
import { HttpResult } from '../harness/http';
import { useTestApp } from '../harness/test-app';
import {
  BASE_REFERENCES,
  DataTable,
  csv,
  errorCodes,
  expectProblem,
  expectReport,
  expectRowsRejected,
  postBatch,
  seed,
  snapshot,
  tableRows,
  uploadCsv,
} from '../harness/ingest-helpers';

const CHUNK_ROWS = 3;
const COUNTS = ['rows_read', 'inserted', 'updated', 'unchanged', 'skipped', 'duplicate_in_file', 'rejected'] as const;

type Source = 'csv' | 'batch';
type Mode = 'insert' | 'upsert' | 'skip';
type Counts = Partial<Record<(typeof COUNTS)[number], number>>;

function countsOf(body: Record<string, unknown>): Counts {
  return Object.fromEntries(COUNTS.map((key) => [key, body[key]]));
}

/**
 * A row whose id an earlier row of the same upload had counts as
 * duplicate_in_file; the first row of each id counts as whatever its mode did
 * with it. Rows are resolved three at a time here, so an id comes again both
 * within one chunk and in a later one. On PostgreSQL, departments are merged
 * chunk by chunk (each chunk looks up names, which settles the COPY) and
 * employees in one merge at the end (their references are cached after the
 * first chunk): both ways are covered.
 */
describe('duplicate_in_file: an id repeated within one upload', () => {
  const app = useTestApp((c) => ({ ...c, ingest: { ...c.ingest, chunkRows: CHUNK_ROWS } }));

  /** Sends `rows` (canonical column order) as a headerless CSV upload (on_error=skip) or a JSON batch (all or nothing). */
  function send(table: DataTable, source: Source, mode: Mode, rows: (string | number)[][], dryRun: boolean): Promise<HttpResult> {
    if (source === 'csv') {
      return uploadCsv(app, table, csv(...rows.map((row) => row.join(','))), { query: { mode, on_error: 'skip', dry_run: String(dryRun) } });
    }
    const columns = table === 'employees' ? ['id', 'name', 'hire_date', 'department_id', 'job_id'] : ['id', table === 'jobs' ? 'title' : 'name'];
    const objects = rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]])));
    return postBatch(app, table, { mode, dry_run: dryRun, rows: objects });
  }

  /**
   * A dry run, then the real run: the same counts, and only the real run
   * writes. A batch with a rejected row is a 422 that writes nothing: then
   * only rows_read and rejected are compared with `expected`.
   */
  async function load(table: DataTable, source: Source, mode: Mode, rows: (string | number)[][], expected: Counts): Promise<HttpResult> {
    const before = await snapshot(app);
    const dry = await send(table, source, mode, rows, true);
    await expect(snapshot(app)).resolves.toEqual(before);
    const real = await send(table, source, mode, rows, false);
    if (source === 'batch' && (expected.rejected ?? 0) > 0) {
      expectRowsRejected(dry);
      expectRowsRejected(real);
      expect(real.body.report).toMatchObject({ rows_read: expected.rows_read, rejected: expected.rejected, duplicate_in_file: 0 });
      expect(countsOf(real.body.report)).toEqual(countsOf(dry.body.report));
      await expect(snapshot(app)).resolves.toEqual(before);
      return real;
    }
    expectReport(dry, { dry_run: true, ...expected });
    expectReport(real, { dry_run: false, ...expected });
    expect(countsOf(real.body)).toEqual(countsOf(dry.body));
    return real;
  }

  describe.each(['csv', 'batch'] as const)('departments (%s)', (source) => {
    // Sales and Research are stored. Chunks of three rows:
    const file = [
      [1, 'Sales'], //        stored, identical
      [2, 'Research Two'], // stored, changed
      [1, 'Sales Again'], //  1 again, same chunk, changed
      [8, 'Eight'], //        new
      [8, 'Eight'], //        8 again, same chunk, identical
      [2, 'Research'], //     2 again, a later chunk, back to the stored name
      [8, 'Eight Last'], //   8 again, a later chunk, changed
      [1, 'Sales'], //        1 again, a later chunk, identical to the stored row
      [9, 'Nine'], //         new
    ];
    const seeded = (): Promise<void> =>
      seed(app, {
        departments: [
          { id: 1, name: 'Sales' },
          { id: 2, name: 'Research' },
        ],
      });

    it('upsert: writes every row, the last of an id wins; counts only the first', async () => {
      await seeded();
      await load('departments', source, 'upsert', file, { rows_read: 9, inserted: 2, updated: 1, unchanged: 1, skipped: 0, duplicate_in_file: 5, rejected: 0 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales' },
        { id: 2, name: 'Research' },
        { id: 8, name: 'Eight Last' },
        { id: 9, name: 'Nine' },
      ]);
    });

    it('skip: keeps the stored row or the first of the file', async () => {
      await seeded();
      await load('departments', source, 'skip', file, { rows_read: 9, inserted: 2, updated: 0, unchanged: 0, skipped: 2, duplicate_in_file: 5, rejected: 0 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales' },
        { id: 2, name: 'Research' },
        { id: 8, name: 'Eight' },
        { id: 9, name: 'Nine' },
      ]);
    });

    it('insert: rejects every row of an id that is stored or came earlier (duplicate_id), none counted as a duplicate', async () => {
      await seeded();
      const res = await load('departments', source, 'insert', file, { rows_read: 9, inserted: 2, skipped: 0, duplicate_in_file: 0, rejected: 7 });
      const at = (i: number): number => (source === 'csv' ? i + 1 : i);
      expect(errorCodes(res.body.errors)).toEqual([0, 1, 2, 4, 5, 6, 7].map((i) => ({ at: at(i), column: 'id', code: 'duplicate_id' })));
      const where = res.body.errors.map((e: { message: string }) => /exists (already in the table|earlier in this upload)/.exec(e.message)?.[1]);
      expect(where).toEqual(['already in the table', 'already in the table', 'already in the table', 'earlier in this upload', 'already in the table', 'earlier in this upload', 'already in the table']);
      const loaded = source === 'csv' ? [{ id: 8, name: 'Eight' }, { id: 9, name: 'Nine' }] : [];
      await expect(tableRows(app, 'departments')).resolves.toEqual([{ id: 1, name: 'Sales' }, { id: 2, name: 'Research' }, ...loaded]);
    });
  });

  describe.each(['csv', 'batch'] as const)('employees (%s)', (source) => {
    const ann = { id: 1, name: 'Ann', hire_date: '2021-01-01T00:00:00.000Z', department_id: 1, job_id: 1 };
    const bo = { id: 2, name: 'Bo', hire_date: '2021-02-02T00:00:00.000Z', department_id: 2, job_id: 2 };
    const file = [
      [1, 'Ann', '2021-01-01T00:00:00Z', 1, 1], //        stored, identical
      [3, 'Cy', '2021-03-03T00:00:00Z', 1, 2], //         new
      [1, 'Ann B', '2021-01-01T00:00:00Z', 1, 1], //      1 again, same chunk, changed
      [2, 'Bo Changed', '2021-02-02T00:00:00Z', 2, 2], // stored, changed
      [3, 'Cy', '2021-03-03T00:00:00Z', 1, 2], //         3 again, a later chunk, identical
      [4, 'Di', '2021-04-04T00:00:00Z', 2, 1], //         new
      [2, 'Bo', '2021-02-02T00:00:00Z', 2, 2], //         2 again, a later chunk, back to the stored row
      [1, 'Ann Last', '2021-01-05T00:00:00Z', 2, 1], //   1 again, a later chunk, changed
    ];
    const seeded = async (): Promise<void> => {
      await seed(app, BASE_REFERENCES);
      await seed(app, { employees: [ann, bo] });
    };
    const cy = { id: 3, name: 'Cy', hire_date: '2021-03-03T00:00:00.000Z', department_id: 1, job_id: 2 };
    const di = { id: 4, name: 'Di', hire_date: '2021-04-04T00:00:00.000Z', department_id: 2, job_id: 1 };

    it('upsert: writes every row, the last of an id wins; counts only the first', async () => {
      await seeded();
      await load('employees', source, 'upsert', file, { rows_read: 8, inserted: 2, updated: 1, unchanged: 1, skipped: 0, duplicate_in_file: 4, rejected: 0 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 1, name: 'Ann Last', hire_date: '2021-01-05T00:00:00.000Z', department_id: 2, job_id: 1 },
        bo,
        cy,
        di,
      ]);
    });

    it('skip: keeps the stored row or the first of the file', async () => {
      await seeded();
      await load('employees', source, 'skip', file, { rows_read: 8, inserted: 2, updated: 0, unchanged: 0, skipped: 2, duplicate_in_file: 4, rejected: 0 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([ann, bo, cy, di]);
    });

    it('insert: rejects the stored and repeated ids, none counted as a duplicate', async () => {
      await seeded();
      const res = await load('employees', source, 'insert', file, { rows_read: 8, inserted: 2, duplicate_in_file: 0, rejected: 6 });
      expect(res.body.errors.map((e: { code: string }) => e.code)).toEqual(Array(6).fill('duplicate_id'));
      await expect(tableRows(app, 'employees')).resolves.toEqual(source === 'csv' ? [ann, bo, cy, di] : [ann, bo]);
    });
  });

  it('upsert of new ids only, each twice in a row: inserted once, then a duplicate', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => [
      [100 + i, `Job ${i}`],
      [100 + i, `Job ${i} again`],
    ]).flat();
    await load('jobs', 'csv', 'upsert', rows, { rows_read: 20, inserted: 10, updated: 0, unchanged: 0, duplicate_in_file: 10, rejected: 0 });
    const stored = await tableRows(app, 'jobs');
    expect(stored.map((job) => job.title)).toEqual(Array.from({ length: 10 }, (_, i) => `Job ${i} again`));
  });

  it('a row rejected for a foreign key or a name leaves its id to the next row, which counts as the first', async () => {
    await seed(app, { ...BASE_REFERENCES, employees: [] });
    const rows = [
      [5, 'Eve', '2021-01-01T00:00:00Z', 99, 1], // unknown department: rejected
      [5, 'Eve', '2021-01-01T00:00:00Z', 1, 1], //  the first accepted row of 5
      [5, 'Eve B', '2021-01-01T00:00:00Z', 1, 1],
    ];
    await load('employees', 'csv', 'upsert', rows, { rows_read: 3, inserted: 1, duplicate_in_file: 1, rejected: 1 });
    await load('departments', 'csv', 'skip', [[6, BASE_REFERENCES.departments[0].name], [6, 'Six'], [6, 'Six B']], {
      rows_read: 3,
      inserted: 1,
      duplicate_in_file: 1,
      rejected: 1,
    });
    await expect(tableRows(app, 'departments')).resolves.toContainEqual({ id: 6, name: 'Six' });
  });

  it('frees the ids it tracked whichever way a load ends', async () => {
    const dispose = jest.spyOn(UploadIds.prototype, 'dispose');
    try {
      expectReport(await uploadCsv(app, 'departments', csv('1,A', '1,B'), { query: { mode: 'upsert' } }), { duplicate_in_file: 1 });
      expectRowsRejected(await uploadCsv(app, 'departments', csv('2,C', '2,D')));
      const broken = Buffer.concat([Buffer.from('3,E\n4,F\n5,G\n6,H\n', 'utf8'), Buffer.from([0xff]), Buffer.from('\n')]);
      expectProblem(await uploadCsv(app, 'departments', broken), 400, '/problems/invalid_encoding');
      expect(dispose).toHaveBeenCalledTimes(3);
    } finally {
      dispose.mockRestore();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { HttpResult, get, postJson } from '../harness/http';
import { EmployeeRow, seed, tableRows } from '../harness/ingest-helpers';
import { Write, inOrder, restore, serialOutcomes, tableOf, upload } from '../harness/serial-outcomes';
import { StreamingUpload, startStreamingUpload } from '../harness/streaming-upload';
import { useTestApp } from '../harness/test-app';
import { testDbKind } from '../harness/test-database';

/**
 * Writers that overlap in time on PostgreSQL (SQLite runs them one at a
 * time): two uploads of overlapping ids into one table, in each mode, and an
 * upload racing a restore. Each must end as if they had run one after the
 * other (both applied per mode), or one answers a clear 409 and wrote
 * nothing; never a hang, never a lost or half-written row.
 */
const onPostgres = testDbKind() === 'postgres' ? describe : describe.skip;

/** Longer than any of these loads takes, far shorter than a lock wait that never ends. */
const ANSWER_WITHIN_MS = 30_000;

onPostgres('concurrent writers end as if one ran after the other', () => {
  const backupDir = mkdtempSync(join(tmpdir(), 'dbm-races-'));
  // A short heartbeat: the tests wait for both loads to be writing, which the progress shows.
  const app = useTestApp((config) => ({ ...config, backups: { dir: backupDir }, jobs: { ...config.jobs, heartbeatMs: 100 } }));

  afterAll(() => rmSync(backupDir, { recursive: true, force: true }));

  const REFERENCES = {
    departments: [1, 2, 3].map((id) => ({ id, name: `Department ${id}` })),
    jobs: [1, 2, 3].map((id) => ({ id, title: `Job ${id}` })),
  };
  const employee = (id: number, who: string): EmployeeRow => ({
    id,
    name: `${who} ${id}`,
    hire_date: `2021-0${(id % 9) + 1}-1${id % 10}T10:00:00.000Z`,
    department_id: (id % 3) + 1,
    job_id: ((id + 1) % 3) + 1,
  });
  const range = (from: number, to: number, who: string): EmployeeRow[] => Array.from({ length: to - from + 1 }, (_, i) => employee(from + i, who));
  const csvOf = (rows: readonly EmployeeRow[]): string =>
    rows.map((r) => `${r.id},${r.name},${r.hire_date},${r.department_id},${r.job_id}\n`).join('');

  function within<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ANSWER_WITHIN_MS} ms (a lock wait that never ends?)`)), ANSWER_WITHIN_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** Waits until `count` employee loads are running and each has handed `rows` rows to the database. */
  async function writing(count: number, rows: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const items: { progress: { rows_written: number } }[] = (await get(app.baseUrl, '/ingestions?table=employees&status=running')).body.items;
      if (items.length === count && items.every((item) => item.progress.rows_written >= rows)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${count} loads were not writing`);
  }

  /** Starts an employees upload and sends its rows, leaving its transaction open until end(). */
  async function openUpload(rows: readonly EmployeeRow[], mode: string): Promise<StreamingUpload> {
    const streaming = startStreamingUpload(app.baseUrl, `/employees/upload?mode=${mode}&on_error=abort`, `${mode}.csv`);
    await streaming.write(csvOf(rows));
    return streaming;
  }

  async function expectOneOf(outcomes: EmployeeRow[][]): Promise<void> {
    expect(outcomes.length).toBeGreaterThan(0);
    const final = await tableRows(app, 'employees');
    expect(outcomes).toContainEqual(final);
  }

  function expectProblemStatus(res: HttpResult, status: number): void {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  }

  /** A refused load: a clear 409 (or, had it run after the other, the 422 of its rows), and its record failed. */
  function expectRefused(res: HttpResult): void {
    expect([409, 422]).toContain(res.status);
    if (res.status === 409) expect(res.body.type).toBe('/problems/concurrent_change');
  }

  describe('two uploads with overlapping ids to one table', () => {
    const SEED = range(1, 50, 'Seed');

    it.each([
      // insert: ids new to the table, 1,000 of them in both uploads.
      ['insert', range(1_001, 3_000, 'A'), range(2_001, 4_000, 'B')],
      // upsert and skip: overlapping each other and the seeded rows.
      ['upsert', range(31, 2_030, 'A'), range(1_031, 3_030, 'B')],
      ['skip', range(31, 2_030, 'A'), range(1_031, 3_030, 'B')],
    ] as const)('mode %s: both applied in some order, or one 409', async (mode, a, b) => {
      await seed(app, { ...REFERENCES, employees: SEED });
      const first = await openUpload(a, mode);
      const second = await openUpload(b, mode);
      try {
        await writing(2, 500);
      } finally {
        // Even when the test fails here: an upload left open would hold its locks for the next test.
        first.end();
        second.end();
      }
      const answers = await within(Promise.all([first.response, second.response]), `two ${mode} uploads`);

      const succeeded = answers.filter((res) => res.status === 201);
      expect(succeeded.length).toBeGreaterThanOrEqual(1);
      for (const res of answers) if (res.status !== 201) expectRefused(res);
      if (mode === 'insert') expect(succeeded).toHaveLength(1);
      const writes: Write[] = answers.flatMap((res, i) => (res.status === 201 ? [upload(i === 0 ? a : b, mode)] : []));
      await expectOneOf(serialOutcomes(tableOf(SEED), writes));
      // The refused load's record says so; nothing of it is in the table (checked above).
      const records = (await get(app.baseUrl, '/ingestions?table=employees')).body.items as { status: string }[];
      expect(records.map((r) => r.status).sort()).toEqual(answers.map((res) => (res.status === 201 ? 'succeeded' : 'failed')).sort());
    });

    it('departments renamed crosswise by two upserts: one wins whole, never names mixed', async () => {
      await seed(app, { departments: [1, 2, 3, 4].map((id) => ({ id, name: `Department ${id}` })) });
      const rows = (names: string[]): string => names.map((name, i) => `${i + 1},${name}\n`).join('');
      const first = startStreamingUpload(app.baseUrl, '/departments/upload?mode=upsert', 'a.csv');
      const second = startStreamingUpload(app.baseUrl, '/departments/upload?mode=upsert', 'b.csv');
      await first.write(rows(['North', 'South', 'East', 'West']));
      await second.write(rows(['West', 'East', 'South', 'North']));
      first.end();
      second.end();
      const answers = await within(Promise.all([first.response, second.response]), 'two department upserts');
      // The second to merge finds its new names held by the first one's committed rows: a 409 (or 422 duplicate_name).
      for (const res of answers) if (res.status !== 201) expectRefused(res);
      const winners = [['North', 'South', 'East', 'West'], ['West', 'East', 'South', 'North']].filter((_, i) => answers[i].status === 201);
      expect(winners.length).toBeGreaterThanOrEqual(1);
      expect(winners).toContainEqual((await tableRows(app, 'departments')).map((d) => d.name));
    });
  });

  describe('an upload racing a restore', () => {
    const BACKED_UP = range(1, 100, 'Backup');

    /** Seeds, takes a backup of every table, then changes the employees: rows 91–100 gone, 1–10 renamed. */
    async function backupThenDrift(): Promise<{ id: number; before: EmployeeRow[] }> {
      await seed(app, { ...REFERENCES, employees: BACKED_UP });
      const backup = await postJson(app.baseUrl, '/backups', {});
      expect(backup.status).toBe(201);
      await app.dataSource.query('DELETE FROM employees WHERE id > 90');
      await app.dataSource.query("UPDATE employees SET name = 'Drifted ' || id WHERE id <= 10");
      return { id: backup.body.id, before: await tableRows(app, 'employees') };
    }

    it.each([
      ['replace', 'insert', range(1_001, 3_000, 'Upload')],
      ['merge', 'insert', range(1_001, 3_000, 'Upload')],
      ['merge', 'upsert', range(51, 2_050, 'Upload')],
      ['replace', 'upsert', range(51, 2_050, 'Upload')],
    ] as const)('restore %s while an upload (%s) is writing: both applied, in one order', async (restoreMode, uploadMode, rows) => {
      const { id, before } = await backupThenDrift();
      const loading = await openUpload(rows, uploadMode);
      let restoring: Promise<HttpResult>;
      try {
        await writing(1, 1_000);
        // The restore locks the tables against writers: it waits for a writing upload's transaction.
        restoring = postJson(app.baseUrl, `/backups/${id}/restore?mode=${restoreMode}`, {});
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        loading.end();
      }
      const [loaded, restored] = await within(Promise.all([loading.response, restoring]), 'an upload and a restore');

      expect(loaded.status).toBe(201);
      expect(restored.status).toBe(200);
      // An insert holds the table from its first rows on, so the restore waits for it; an upsert stages its rows
      // and merges them at the end, after the restore. Either order is a consistent end.
      await expectOneOf(serialOutcomes(tableOf(before), [upload(rows, uploadMode), restore(BACKED_UP, restoreMode)]));
    });

    it.each([
      // The restore puts back ids 91–100, which the upload believed new: its write collides, a clear 409.
      ['replace', 'insert', range(91, 1_100, 'Upload')],
      // An upsert waits for the restore, then overwrites what it restored.
      ['merge', 'upsert', range(1, 1_000, 'Upload')],
    ] as const)('restore %s holding its locks, an upload (%s) queued behind it: applied after it, or a clear 409', async (restoreMode, uploadMode, rows) => {
      const { id, before } = await backupThenDrift();
      // Another writer of employees (this test's own transaction) keeps the restore waiting for its locks, ...
      const blocker = new Client({ connectionString: app.config.database.url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE employees IN ROW EXCLUSIVE MODE');
        const restoring = postJson(app.baseUrl, `/backups/${id}/restore?mode=${restoreMode}`, {});
        await waitersOnLocks(blocker, 1);
        // ... and the upload queues behind the restore.
        const loading = await openUpload(rows, uploadMode);
        loading.end();
        await waitersOnLocks(blocker, 2);
        await blocker.query('COMMIT');
        const [loaded, restored] = await within(Promise.all([loading.response, restoring]), 'a restore and an upload');

        expect(restored.status).toBe(200);
        const final = await tableRows(app, 'employees');
        if (uploadMode === 'insert') {
          expectProblemStatus(loaded, 409);
          expect(final).toEqual(inOrder(tableOf(before), [restore(BACKED_UP, restoreMode)]));
        } else {
          expect(loaded.status).toBe(201);
          expect(final).toEqual(inOrder(tableOf(before), [restore(BACKED_UP, restoreMode), upload(rows, uploadMode)]));
        }
      } finally {
        await blocker.end();
      }
    });

    /** Waits until `count` other sessions of this database wait for a lock. */
    async function waitersOnLocks(client: Client, count: number): Promise<void> {
      for (let i = 0; i < 200; i++) {
        const { rows } = await client.query<{ n: string }>(
          "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        );
        if (Number(rows[0].n) >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`${count} sessions never waited for a lock`);
    }
  });
});

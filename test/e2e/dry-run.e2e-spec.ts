import { get, postJson } from '../harness/http';
import {
  BASE_REFERENCES,
  csv,
  dataFile,
  expectProblem,
  ingestionRecords,
  postBatch,
  seed,
  snapshot,
  uploadCsv,
} from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

/**
 * dry_run=true: the same pipeline, the same answer, nothing kept but the
 * ingestion record (marked dry_run). Each test runs the dry run, checks that
 * nothing changed, then runs the same request for real and compares.
 */
const OUTCOME = ['status', 'rows_read', 'inserted', 'updated', 'unchanged', 'skipped', 'duplicate_in_file', 'rejected'] as const;

function outcome(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(OUTCOME.map((key) => [key, body[key]]));
}

function errorCodes(body: { errors?: { line?: number; row?: number; column: string | null; code: string }[] }) {
  return (body.errors ?? []).map((e) => [e.line ?? e.row, e.column, e.code]);
}

describe('dry_run=true', () => {
  const app = useTestApp();

  it('gives a CSV upload the real run\'s counts and errors, writes nothing, and records itself as a dry run', async () => {
    await seed(app, BASE_REFERENCES);
    const file = csv('1,Ada,2021-01-05,1,1', '2,,2021-02-05,1,1', '3,Alan,2021-03-05,9,1', '4,Grace,2021-04-05,2,2');
    const before = await snapshot(app);

    const dry = await uploadCsv(app, 'employees', file, { query: { dry_run: 'true', on_error: 'skip' } });
    expect(dry.status).toBe(201);
    expect(dry.body).toMatchObject({ dry_run: true, status: 'succeeded_with_rejects', rows_read: 4, inserted: 2, rejected: 2 });
    expect(await snapshot(app)).toEqual(before);

    const real = await uploadCsv(app, 'employees', file, { query: { on_error: 'skip' } });
    expect(real.status).toBe(201);
    expect(real.body.dry_run).toBe(false);
    expect(outcome(real.body)).toEqual(outcome(dry.body));
    expect(errorCodes(real.body)).toEqual(errorCodes(dry.body));
    expect((await snapshot(app)).employees.map((e) => e.id)).toEqual([1, 4]);

    const records = await get(app.baseUrl, '/ingestions?table=employees');
    expect(records.body.items.map((i: { dry_run: boolean }) => i.dry_run)).toEqual([false, true]);
  });

  it.each([
    ['upsert', { inserted: 1, updated: 1, skipped: 0 }],
    ['skip', { inserted: 1, updated: 0, skipped: 1 }],
  ])('counts mode=%s as the real run does', async (mode, counts) => {
    await seed(app, { departments: [{ id: 1, name: 'Sales' }] });
    const file = csv('1,Revenue', '2,Research');

    const dry = await uploadCsv(app, 'departments', file, { fields: { mode, dry_run: 'true' } });
    expect(dry.body).toMatchObject({ dry_run: true, status: 'succeeded', ...counts });
    expect((await snapshot(app)).departments).toEqual([{ id: 1, name: 'Sales' }]);

    const real = await uploadCsv(app, 'departments', file, { fields: { mode } });
    expect(outcome(real.body)).toEqual(outcome(dry.body));
  });

  it('answers the real run\'s 422 when on_error=abort would reject, and records a failed dry run', async () => {
    await seed(app, BASE_REFERENCES);
    const file = csv('1,Ada,2021-01-05,1,1', '2,Bad Date,2021-02-30,1,1');

    const dry = await uploadCsv(app, 'employees', file, { query: { dry_run: 'true' } });
    expectProblem(dry, 422, '/problems/rows_rejected');
    const real = await uploadCsv(app, 'employees', file);
    expectProblem(real, 422, '/problems/rows_rejected');
    expect(errorCodes(dry.body)).toEqual(errorCodes(real.body));
    expect(outcome(dry.body.report)).toEqual(outcome(real.body.report));
    expect((await ingestionRecords(app)).map((r) => r.status)).toEqual(['failed', 'failed']);
    expect((await snapshot(app)).employees).toEqual([]);
  });

  it('checks the sample files as the real load would, on an empty database too', async () => {
    for (const [table, file] of [
      ['departments', 'departments.csv'],
      ['jobs', 'jobs.csv'],
    ] as const) {
      const dry = await uploadCsv(app, table, dataFile(file), { query: { dry_run: 'true' } });
      const real = await uploadCsv(app, table, dataFile(file));
      expect(outcome(dry.body)).toEqual(outcome(real.body));
    }
  });

  it('works for JSON batches, from the body or the query', async () => {
    const rows = [
      { id: 1, name: 'Sales' },
      { id: 2, name: 'Ops' },
    ];
    const fromBody = await postBatch(app, 'departments', { dry_run: true, rows });
    const fromQuery = await postJson(app.baseUrl, '/departments/batch?dry_run=true', { rows });
    for (const dry of [fromBody, fromQuery]) {
      expect(dry.status).toBe(201);
      expect(dry.body).toMatchObject({ dry_run: true, status: 'succeeded', inserted: 2 });
    }
    expect((await snapshot(app)).departments).toEqual([]);
    const real = await postBatch(app, 'departments', { rows });
    expect(outcome(real.body)).toEqual(outcome(fromBody.body));
  });

  it('runs in the background too (async=true)', async () => {
    const accepted = await uploadCsv(app, 'departments', csv('1,Sales'), { query: { dry_run: 'true', async: 'true' } });
    expect(accepted.status).toBe(202);
    let record = accepted.body;
    for (let i = 0; i < 100 && ['queued', 'running'].includes(record.status); i++) {
      await new Promise((r) => setTimeout(r, 50));
      record = (await get(app.baseUrl, `/ingestions/${accepted.body.id}`)).body;
    }
    expect(record).toMatchObject({ dry_run: true, async: true, status: 'succeeded', inserted: 1 });
    expect((await snapshot(app)).departments).toEqual([]);
  });

  it('refuses a dry_run that is not true or false', async () => {
    expectProblem(await uploadCsv(app, 'departments', csv('1,Sales'), { query: { dry_run: 'yes' } }), 400, '/problems/invalid_request');
    expectProblem(await postBatch(app, 'departments', { dry_run: 'yes', rows: [{ id: 1, name: 'Sales' }] }), 400, '/problems/invalid_request');
  });
});

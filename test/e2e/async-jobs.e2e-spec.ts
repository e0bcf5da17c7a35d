import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ingestion } from '../../src/ingest/entities/ingestion.entity';
import { IngestionReject } from '../../src/ingest/entities/ingestion-reject.entity';
import { IngestionsRepository } from '../../src/ingest/ingestions.repository';
import { HttpResult, get } from '../harness/http';
import {
  BASE_REFERENCES,
  EMPTY_SNAPSHOT,
  csv,
  dataFile,
  expectProblem,
  ingestCsv,
  seed,
  snapshot,
  tableRows,
  uploadCsv,
} from '../harness/ingest-helpers';
import { employeeLines } from '../harness/upload-in-flight';
import { TestApp, startTestApp, useTestApp } from '../harness/test-app';
import { createTestDatabase } from '../harness/test-database';

const UNFINISHED = ['queued', 'running'];
const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Polls GET /ingestions/{id} until it has ended; returns every answer seen, the last one final. */
async function pollUntilEnded(app: TestApp, id: number, timeoutMs = 60_000): Promise<any[]> {
  const seen: any[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await get(app.baseUrl, `/ingestions/${id}`);
    expect(res.status).toBe(200);
    seen.push(res.body);
    if (!UNFINISHED.includes(res.body.status)) return seen;
    if (Date.now() > deadline) throw new Error(`ingestion ${id} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** A 202 answer to an async upload: the queued ingestion and where to poll it. */
function expectAccepted(res: HttpResult, table: string, bytes: number): number {
  if (res.status !== 202) throw new Error(`expected 202, got ${res.status}: ${res.text}`);
  expect(res.headers.get('location')).toBe(`/ingestions/${res.body.id}`);
  expect(res.body).toMatchObject({
    id: expect.any(Number),
    table,
    async: true,
    status: 'queued',
    instance_id: expect.any(String),
    heartbeat_at: expect.stringMatching(ISO),
    progress: expect.objectContaining({ bytes_total: bytes }),
  });
  return res.body.id;
}

function employeesFile(rows: number): string {
  return employeeLines(1, rows);
}

describe('large uploads as jobs: async=true', () => {
  const spoolDir = mkdtempSync(join(tmpdir(), 'dbm-spool-'));
  const app = useTestApp((c) => ({
    ...c,
    ingest: { ...c.ingest, maxUploadBytes: MAX_UPLOAD_BYTES },
    jobs: { ...c.jobs, heartbeatMs: 50, spoolDir },
  }));
  afterAll(() => rmSync(spoolDir, { recursive: true, force: true }));

  it('answers 202 at once with the queued ingestion, then loads the file in the background', async () => {
    const file = dataFile('departments.csv');
    const accepted = await uploadCsv(app, 'departments', file, { query: { async: 'true' }, filename: 'departments.csv' });
    const id = expectAccepted(accepted, 'departments', file.length);

    const final = (await pollUntilEnded(app, id)).at(-1);

    const rows = await tableRows(app, 'departments');
    expect(rows.length).toBeGreaterThan(0);
    expect(final).toMatchObject({
      id,
      status: 'succeeded',
      async: true,
      source: 'departments.csv',
      rows_read: rows.length,
      inserted: rows.length,
      rejected: 0,
      error: null,
      errors: [],
      progress: { bytes_read: file.length, bytes_total: file.length, rows_read: rows.length, rows_written: rows.length, rejected: 0 },
      detected: { format: 'csv', header: false, delimiter: ',', bytes: file.length },
      timings_ms: expect.objectContaining({ read: expect.any(Number), write: expect.any(Number), commit: expect.any(Number) }),
      finished_at: expect.stringMatching(ISO),
    });
  });

  it('takes async as a form field on POST /ingest/csv too', async () => {
    const content = csv('id,title', '1,Manager', '2,Developer');
    const accepted = await ingestCsv(app, content, { fields: { table: 'jobs', async: 'true' } });
    const id = expectAccepted(accepted, 'jobs', Buffer.byteLength(content));

    const final = (await pollUntilEnded(app, id)).at(-1);

    expect(final).toMatchObject({ status: 'succeeded', inserted: 2, detected: { header: true, columns: { id: 'id', title: 'title' } } });
    expect(await tableRows(app, 'jobs')).toEqual([
      { id: 1, title: 'Manager' },
      { id: 2, title: 'Developer' },
    ]);
  });

  it('shows progress while it runs: bytes and rows read, rows written, only ever growing', async () => {
    await seed(app, BASE_REFERENCES);
    const file = employeesFile(60_000);
    const accepted = await uploadCsv(app, 'employees', file, { query: { async: 'true' } });
    const id = expectAccepted(accepted, 'employees', Buffer.byteLength(file));

    const seen = await pollUntilEnded(app, id);

    const final = seen.at(-1);
    expect(final).toMatchObject({ status: 'succeeded', inserted: 60_000, progress: { rows_read: 60_000, rows_written: 60_000 } });
    const running = seen.filter((s) => s.status === "running");
    expect(running.some((s) => s.progress.rows_read > 0 && s.progress.bytes_read > 0)).toBe(true);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].progress.rows_read).toBeGreaterThanOrEqual(seen[i - 1].progress.rows_read);
      expect(seen[i].progress.bytes_read).toBeGreaterThanOrEqual(seen[i - 1].progress.bytes_read);
    }
    for (const s of running) {
      expect(s.progress.bytes_read).toBeLessThanOrEqual(Buffer.byteLength(file));
      expect(s.progress.rows_written).toBeLessThanOrEqual(s.progress.rows_read);
      expect(s.finished_at).toBeNull();
    }
  });

  it('keeps the all-or-nothing guarantee: a bad row with on_error=abort ends it failed, with the errors, and nothing written', async () => {
    await seed(app, BASE_REFERENCES);
    const content = csv('1,Ann,2021-01-01T00:00:00Z,1,1', '2,Bob,not a date,1,1', '3,Cy,2021-01-01T00:00:00Z,9,1');
    const id = expectAccepted(await uploadCsv(app, 'employees', content, { query: { async: 'true', on_error: 'abort' } }), 'employees', content.length);

    const final = (await pollUntilEnded(app, id)).at(-1);

    expect(final).toMatchObject({ status: 'failed', rejected: 2, inserted: 0, error: { status: 422, code: 'rows_rejected' } });
    expect(final.errors.map((e: any) => [e.line, e.column, e.code])).toEqual([
      [2, 'hire_date', 'invalid_date'],
      [3, 'department_id', 'unknown_department'],
    ]);
    expect(await tableRows(app, 'employees')).toEqual([]);
    const rejects = await get(app.baseUrl, `/ingestions/${id}/rejects`);
    expect(rejects.status).toBe(200);
    expect(rejects.text.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('loads the good rows and reports the bad ones with on_error=skip', async () => {
    await seed(app, BASE_REFERENCES);
    const content = csv('1,Ann,2021-01-01T00:00:00Z,1,1', '2,Bob,not a date,1,1');
    const id = expectAccepted(await uploadCsv(app, 'employees', content, { query: { async: 'true', on_error: 'skip' } }), 'employees', content.length);

    const final = (await pollUntilEnded(app, id)).at(-1);

    expect(final).toMatchObject({ status: 'succeeded_with_rejects', inserted: 1, rejected: 1, error: null, progress: { rows_written: 1 } });
    expect((await tableRows(app, 'employees')).map((e) => e.id)).toEqual([1]);
  });

  it('records a malformed file as failed, with the code and line a synchronous upload would have answered', async () => {
    const content = Buffer.concat([Buffer.from('1,Sales\n2,Engineering\n3,Bad '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    const sync = await uploadCsv(app, 'departments', content);
    const id = expectAccepted(await uploadCsv(app, 'departments', content, { query: { async: 'true' } }), 'departments', content.length);

    const final = (await pollUntilEnded(app, id)).at(-1);

    expect(sync.status).toBe(400);
    expect(final).toMatchObject({
      status: 'failed',
      inserted: 0,
      detail: sync.body.detail,
      error: { status: 400, code: sync.body.type.replace('/problems/', ''), line: 3 },
    });
    expect(await snapshot(app)).toEqual(EMPTY_SNAPSHOT);
  });

  it.each([
    ['async=maybe', { async: 'maybe' }],
    ['an unknown mode', { async: 'true', mode: 'merge' }],
  ])('refuses %s at once with 400, recording nothing', async (_name, query) => {
    const res = await uploadCsv(app, 'departments', csv('1,Sales'), { query });

    expectProblem(res, 400, '/problems/invalid_request');
    expect((await get(app.baseUrl, '/ingestions')).body.total).toBe(0);
  });

  it('refuses a file over the size limit with 413 before accepting it, and keeps no copy', async () => {
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + 10, '1,Sales\n');
    const res = await uploadCsv(app, 'departments', big, { query: { async: 'true' } });

    expect(res.status).toBe(413);
    expect((await get(app.baseUrl, '/ingestions')).body.total).toBe(0);
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('removes the saved upload once the job has ended', async () => {
    const id = expectAccepted(await uploadCsv(app, 'departments', csv('1,Sales'), { query: { async: 'true' } }), 'departments', 8);
    await pollUntilEnded(app, id);

    // Cleanup runs right after the record is final; give it a moment.
    for (let i = 0; i < 50 && readdirSync(spoolDir).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(spoolDir)).toEqual([]);
  });
});

describe('heartbeats: only a job whose instance stopped beating is marked interrupted', () => {
  const app = useTestApp((c) => ({ ...c, jobs: { ...c.jobs, heartbeatMs: 50, staleAfterMs: 1000 } }));

  async function insertUnfinished(instanceId: string, heartbeatAt: Date, status = 'running'): Promise<number> {
    const started = new Date(Date.now() - 3600_000).toISOString();
    const p = app.kind === 'postgres' ? ['$1', '$2', '$3', '$4'] : ['?', '?', '?', '?'];
    await app.dataSource.query(
      `INSERT INTO ingestions (table_name, source, source_kind, mode, on_error, status, started_at, instance_id, heartbeat_at)
       VALUES ('employees', 'big.csv', 'csv', 'insert', 'abort', ${p[0]}, ${p[1]}, ${p[2]}, ${p[3]})`,
      [status, started, instanceId, heartbeatAt.toISOString()],
    );
    const [{ id }] = await app.dataSource.query('SELECT MAX(id) AS id FROM ingestions');
    return Number(id);
  }

  it('marks interrupted the unfinished ingestions of another instance whose heartbeat is stale, and no others', async () => {
    const dead = await insertUnfinished('instance-that-crashed', new Date(Date.now() - 60_000));
    const deadQueued = await insertUnfinished('instance-that-crashed', new Date(Date.now() - 60_000), 'queued');
    const alive = await insertUnfinished('instance-still-beating', new Date(Date.now() + 3600_000));

    let deadNow: any;
    for (let i = 0; i < 100; i++) {
      deadNow = (await get(app.baseUrl, `/ingestions/${dead}`)).body;
      if (deadNow.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }

    expect(deadNow).toMatchObject({ status: 'interrupted', error: { status: 503, code: 'ingestion_interrupted' }, finished_at: expect.stringMatching(ISO) });
    expect(deadNow.detail).toMatch(/heartbeat/);
    expect((await get(app.baseUrl, `/ingestions/${deadQueued}`)).body.status).toBe('interrupted');
    expect((await get(app.baseUrl, `/ingestions/${alive}`)).body.status).toBe('running');
    expect((await get(app.baseUrl, '/ingestions?status=interrupted')).body.total).toBe(2);
  });

  it('never lets a job commit once it has been marked interrupted', async () => {
    const repository = new IngestionsRepository(app.dataSource.getRepository(Ingestion), app.dataSource.getRepository(IngestionReject));
    const me = 'instance-committing';
    const running = await insertUnfinished(me, new Date());
    const interrupted = await insertUnfinished(me, new Date(), 'interrupted');

    expect(await repository.claimForCommit(app.dataSource.manager, running, me)).toBe(true);
    expect(await repository.claimForCommit(app.dataSource.manager, running, 'another-instance')).toBe(false);
    expect(await repository.claimForCommit(app.dataSource.manager, interrupted, me)).toBe(false);
  });
});

describe('restarting an instance', () => {
  const isoAgo = (ms: number): string => new Date(Date.now() - ms).toISOString();

  it('marks what its id left unfinished interrupted before serving, and removes the uploads of instances that are gone', async () => {
    const database = await createTestDatabase();
    const spoolDir = mkdtempSync(join(tmpdir(), 'dbm-spool-'));
    const tune = (c: any) => ({ ...c, jobs: { ...c.jobs, instanceId: 'api-1', spoolDir } });
    try {
      const first = await startTestApp(tune, database);
      const p = first.kind === 'postgres' ? ['$1', '$2', '$3'] : ['?', '?', '?'];
      const insert = (instance: string, heartbeat: string) =>
        first.dataSource.query(
          `INSERT INTO ingestions (table_name, source, source_kind, mode, on_error, status, started_at, instance_id, heartbeat_at)
           VALUES ('employees', 'big.csv', 'csv', 'insert', 'abort', 'running', ${p[0]}, ${p[1]}, ${p[2]})`,
          [isoAgo(5000), instance, heartbeat],
        );
      await insert('api-1', isoAgo(0)); // looks alive, but api-1 is about to restart
      await insert('api-2', isoAgo(0)); // another instance, alive
      await first.close();
      const uuid = () => '0123abcd-0000-4000-8000-' + Math.random().toString(16).slice(2, 14).padEnd(12, '0');
      const old = new Date(Date.now() - 3600_000);
      const files = {
        own: `db-migration-upload-api-1--${uuid()}.csv`,
        live: `db-migration-upload-api-2--${uuid()}.csv`,
        dead: `db-migration-upload-api-3--${uuid()}.csv`,
        unrelated: 'notes.txt',
      };
      for (const name of Object.values(files)) {
        writeFileSync(join(spoolDir, name), '1,Sales\n');
        utimesSync(join(spoolDir, name), old, old);
      }

      const second = await startTestApp(tune, database);
      try {
        const items = (await get(second.baseUrl, '/ingestions')).body.items;
        expect(items.map((i: any) => [i.instance_id, i.status])).toEqual([
          ['api-2', 'running'],
          ['api-1', 'interrupted'],
        ]);
        expect(items[1].detail).toMatch(/restarted/);
        expect(readdirSync(spoolDir).sort()).toEqual([files.live, files.unrelated].sort());
      } finally {
        await second.close();
      }
    } finally {
      rmSync(spoolDir, { recursive: true, force: true });
      await database.drop();
    }
  });

  it('refuses to start when the spool folder cannot be written', async () => {
    await expect(startTestApp((c) => ({ ...c, jobs: { ...c.jobs, spoolDir: '/etc/hostname/spool' } }))).rejects.toThrow(/jobs.spool_dir/);
  });
});

describe('stopping the service while a job runs', () => {
  it('rolls the job back and records it interrupted; a restarted service shows it so', async () => {
    const database = await createTestDatabase();
    // No grace period: the job is still running when the service stops.
    const tune = (c: any) => ({ ...c, server: { ...c.server, shutdownGraceMs: 0 }, jobs: { ...c.jobs, heartbeatMs: 50 } });
    try {
      const first = await startTestApp(tune, database);
      await seed(first, BASE_REFERENCES);
      const accepted = await uploadCsv(first, 'employees', employeesFile(200_000), { query: { async: 'true' } });
      expect(accepted.status).toBe(202);
      // Wait until it is loading, then stop the service under it.
      for (let i = 0; i < 500; i++) {
        const body = (await get(first.baseUrl, `/ingestions/${accepted.body.id}`)).body;
        if (body.status === 'running' && body.progress.rows_read > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await first.close();

      const second = await startTestApp(tune, database);
      try {
        const res = await get(second.baseUrl, `/ingestions/${accepted.body.id}`);
        expect(res.body).toMatchObject({ status: 'interrupted', inserted: 0, error: { status: 503, code: 'ingestion_interrupted' } });
        expect(res.body.detail).toMatch(/service stopped/);
        expect(await tableRows(second, 'employees')).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });
});

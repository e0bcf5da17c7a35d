import { Client } from 'pg';
import { get, upload } from '../harness/http';
import { tableRows } from '../harness/ingest-helpers';
import { startStreamingUpload } from '../harness/streaming-upload';
import { employeeLines, seedReferences, uploadUntilWriting } from '../harness/upload-in-flight';
import { TestApp, startTestApp } from '../harness/test-app';
import { TestDatabase, createTestDatabase, testDbKind, withAdmin } from '../harness/test-database';

/**
 * The database going away under a running service: a connection killed
 * mid-upload, a database dropped and recreated. PostgreSQL only — an embedded
 * SQLite file has no connection to lose (the SQLite run of this suite skips it).
 */
const onPostgres = testDbKind() === 'postgres' ? describe : describe.skip;
jest.setTimeout(60_000);

function databaseName(app: TestApp): string {
  return new URL(app.config.database.url).pathname.slice(1);
}

onPostgres('a connection killed mid-upload (pg_terminate_backend)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await seedReferences(app.baseUrl);
  });
  afterAll(async () => {
    await app.close();
  });

  it('ends the upload with a 503 problem, writes nothing, records it failed, and the next upload succeeds', async () => {
    const streaming = startStreamingUpload(app.baseUrl, '/employees/upload', 'employees.csv');
    const { id: ingestionId, sentUpTo } = await uploadUntilWriting(app.baseUrl, streaming);

    // The backend holding the upload's transaction: the one with writes in progress.
    const terminated = await withAdmin(async (admin: Client) => {
      const { rows } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
          WHERE datname = $1 AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()`,
        [databaseName(app)],
      );
      return rows.length;
    });
    expect(terminated).toBe(1);
    await streaming.write(employeeLines(sentUpTo + 1, sentUpTo + 1000)).catch(() => undefined);
    streaming.end();

    const res = await streaming.response;
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: '/problems/database_unavailable', status: 503, ingestion_id: ingestionId });
    expect(await tableRows(app, 'employees')).toEqual([]);
    const record = (await get(app.baseUrl, `/ingestions/${ingestionId}`)).body;
    expect(record).toMatchObject({ status: 'failed', inserted: 0, error: { status: 503, code: 'database_unavailable' } });

    // No restart: the pool replaced the dead connection.
    const again = await upload(app.baseUrl, '/employees/upload', employeeLines(1, 5000));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'succeeded', inserted: 5000 });
    expect((await get(app.baseUrl, '/health')).status).toBe(200);
  });
});

onPostgres('readiness while the database is gone, then back', () => {
  let database: TestDatabase;
  let app: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    app = await startTestApp((c) => c, database);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('answers 503 naming the failing check, and 200 again once the database and its migrations are back, without a restart', async () => {
    expect((await get(app.baseUrl, '/health')).status).toBe(200);
    const name = databaseName(app);

    await withAdmin((admin) => admin.query(`DROP DATABASE ${name} WITH (FORCE)`));
    const down = await get(app.baseUrl, '/health');
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toContain('application/problem+json');
    expect(down.body.error.database.status).toBe('down');
    // Liveness has no I/O: the process is fine, only not ready.
    expect((await get(app.baseUrl, '/health/live')).status).toBe(200);
    // A read fails as retryable, not as a 500.
    const read = await get(app.baseUrl, '/departments');
    expect(read.status).toBe(503);
    expect(read.body.type).toBe('/problems/database_unavailable');

    // Back, but empty: the database answers, the schema is missing.
    await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
    let pending = await get(app.baseUrl, '/health');
    for (let i = 0; i < 20 && pending.body?.info?.database?.status !== 'up'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      pending = await get(app.baseUrl, '/health');
    }
    expect(pending.status).toBe(503);
    expect(pending.body).toMatchObject({ info: { database: { status: 'up' } }, error: { migrations: { status: 'down' } } });

    await app.dataSource.runMigrations();
    const ready = await get(app.baseUrl, '/health');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, migrations: { status: 'up' } } });
    expect((await get(app.baseUrl, '/departments')).status).toBe(200);
  });
});

onPostgres('stopping the service while a load waits on a lock', () => {
  it('cancels the waiting statement: the load rolls back, answers 503, and the service stops without waiting for the lock', async () => {
    const database = await createTestDatabase('postgres');
    const app = await startTestApp((c) => ({ ...c, server: { ...c.server, shutdownGraceMs: 0 } }), database);
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      await seedReferences(app.baseUrl);
      // Another session holds department 1: the load's foreign-key check waits for it.
      await admin.query('BEGIN');
      await admin.query('SELECT * FROM departments WHERE id = 1 FOR UPDATE');
      const pending = upload(app.baseUrl, '/employees/upload', employeeLines(1, 100));
      let waiting = 0;
      for (let i = 0; i < 100 && waiting === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [
          databaseName(app),
        ]);
        waiting = rows[0].n;
      }
      expect(waiting).toBe(1);

      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeLessThan(8000);
      const res = await pending;
      expect(res.status).toBe(503);
      expect(res.body.type).toBe('/problems/ingestion_interrupted');
      await admin.query('ROLLBACK');
      const { rows } = await admin.query(`SELECT status, inserted FROM ingestions WHERE table_name = 'employees'`);
      expect(rows).toEqual([{ status: 'interrupted', inserted: 0 }]);
      expect((await admin.query('SELECT count(*)::int AS n FROM employees')).rows[0].n).toBe(0);
    } finally {
      await admin.end();
      await database.drop();
    }
  });
});

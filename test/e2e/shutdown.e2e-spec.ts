import { AppConfig } from '../../src/config/app-config';
import { get } from '../harness/http';
import { ingestionRecords, tableRows } from '../harness/ingest-helpers';
import { ServerProcess, startServerProcess } from '../harness/server-process';
import { startStreamingUpload } from '../harness/streaming-upload';
import { employeeLines, seedReferences, uploadUntilWriting } from '../harness/upload-in-flight';
import { TestApp, startTestApp } from '../harness/test-app';
import { TestDatabase, createTestDatabase } from '../harness/test-database';

/**
 * Stopping the service for real: a server process of its own, a large upload
 * in flight, then SIGTERM or SIGKILL. Afterwards a second instance on the same
 * database shows what stayed behind.
 */
jest.setTimeout(120_000);

function startServer(database: TestDatabase, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServerProcess({ env: { DATABASE_URL: database.url, MIGRATIONS_RUN: 'true', LOG_LEVEL: 'warn', ...env } });
}

/** A second instance on the same database, for looking at what the first left. */
function observer(database: TestDatabase, tune: (c: AppConfig) => AppConfig = (c) => c): Promise<TestApp> {
  return startTestApp(tune, database);
}

describe('SIGTERM: graceful shutdown of a real server process', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  it('stops accepting connections, lets an upload that ends within the grace period commit, and exits 0', async () => {
    const server = await startServer(database, { SHUTDOWN_GRACE_MS: '30000' });
    try {
      await seedReferences(server.baseUrl);
      const streaming = startStreamingUpload(server.baseUrl, '/employees/upload', 'employees.csv');
      const { sentUpTo } = await uploadUntilWriting(server.baseUrl, streaming, 1);

      server.child.kill('SIGTERM');
      // New connections are refused while the upload goes on.
      let refused = false;
      for (let i = 0; i < 50 && !refused; i++) {
        await new Promise((r) => setTimeout(r, 100));
        refused = await fetch(`${server.baseUrl}/health/live`).then(
          () => false,
          () => true,
        );
      }
      expect(refused).toBe(true);
      await streaming.write(employeeLines(sentUpTo + 1, sentUpTo + 1000));
      streaming.end();

      const res = await streaming.response;
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'succeeded', inserted: sentUpTo + 1000 });
      expect(await server.exited).toBe(0);
    } finally {
      await server.stop('SIGKILL');
    }
    const after = await observer(database);
    try {
      expect((await tableRows(after, 'employees')).length).toBeGreaterThan(0);
      expect((await ingestionRecords(after)).map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    } finally {
      await after.close();
    }
  });

  it('past the grace period rolls the upload back (503, recorded interrupted, no rows) and exits 0', async () => {
    const server = await startServer(database, { SHUTDOWN_GRACE_MS: '300' });
    try {
      await seedReferences(server.baseUrl);
      const streaming = startStreamingUpload(server.baseUrl, '/employees/upload', 'employees.csv');
      const { id } = await uploadUntilWriting(server.baseUrl, streaming, 1);

      server.child.kill('SIGTERM');
      const res = await streaming.response;
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ type: '/problems/ingestion_interrupted', ingestion_id: id });
      expect(await server.exited).toBe(0);
    } finally {
      await server.stop('SIGKILL');
    }
    const after = await observer(database);
    try {
      expect(await tableRows(after, 'employees')).toEqual([]);
      const record = (await get(after.baseUrl, '/ingestions?table=employees')).body.items[0];
      expect(record).toMatchObject({ status: 'interrupted', inserted: 0, error: { status: 503, code: 'ingestion_interrupted' } });
      expect(record.detail).toMatch(/service stopped/);
    } finally {
      await after.close();
    }
  });
});

describe('SIGKILL mid-upload', () => {
  it('leaves no rows; another instance, busy with its own upload, marks the dead one interrupted once its heartbeat is stale', async () => {
    const database = await createTestDatabase();
    try {
      const doomed = await startServer(database, { INSTANCE_ID: 'doomed' });
      let doomedId: number;
      try {
        await seedReferences(doomed.baseUrl);
        const streaming = startStreamingUpload(doomed.baseUrl, '/employees/upload', 'doomed.csv');
        doomedId = (await uploadUntilWriting(doomed.baseUrl, streaming, 1)).id;
        doomed.child.kill('SIGKILL');
        expect(await doomed.exited).toBe('SIGKILL');
      } finally {
        await doomed.stop('SIGKILL');
      }

      // The survivor sweeps often; its own upload runs (and beats) through several sweeps.
      const survivor = await observer(database, (c) => ({ ...c, jobs: { ...c.jobs, instanceId: 'survivor', heartbeatMs: 100, staleAfterMs: 1500 } }));
      try {
        const own = startStreamingUpload(survivor.baseUrl, '/employees/upload', 'survivor.csv');
        await own.write(employeeLines(1_000_001, 1_000_500));
        let status = '';
        for (let i = 0; i < 100 && status !== 'interrupted'; i++) {
          await new Promise((r) => setTimeout(r, 100));
          status = (await get(survivor.baseUrl, `/ingestions/${doomedId}`)).body.status;
          await own.write(employeeLines(1_000_501 + i, 1_000_501 + i));
        }
        expect(status).toBe('interrupted');
        own.end();
        const res = await own.response;
        expect(res.status).toBe(201);
        expect(res.body.status).toBe('succeeded');

        const ids = (await tableRows(survivor, 'employees')).map((e) => e.id);
        expect(ids.length).toBe(res.body.inserted);
        expect(ids.every((id) => id > 1_000_000)).toBe(true);
        const doomedRecord = (await get(survivor.baseUrl, `/ingestions/${doomedId}`)).body;
        expect(doomedRecord).toMatchObject({ status: 'interrupted', instance_id: 'doomed', inserted: 0 });
      } finally {
        await survivor.close();
      }
    } finally {
      await database.drop();
    }
  });
});

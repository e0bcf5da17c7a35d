import { DataSource, DataSourceOptions } from 'typeorm';
import { InitialSchema1764000000000 } from '../../migrations/1764000000000-InitialSchema';
import { IngestionJobs1764100000000 } from '../../migrations/1764100000000-IngestionJobs';
import { IngestionDryRun1764200000000 } from '../../migrations/1764200000000-IngestionDryRun';
import { IngestionFileHash1764300000000 } from '../../migrations/1764300000000-IngestionFileHash';
import { IngestionUnchanged1764400000000 } from '../../migrations/1764400000000-IngestionUnchanged';
import { IngestionDuplicateInFile1764500000000 } from '../../migrations/1764500000000-IngestionDuplicateInFile';
import { createTestDatabase, TestDatabase } from '../harness/test-database';

function optionsFor(url: string, migrations: DataSourceOptions['migrations']): DataSourceOptions {
  const base = url.startsWith('sqlite:') ? { type: 'better-sqlite3' as const, database: url.slice('sqlite:'.length) } : { type: 'postgres' as const, url };
  return { ...base, migrations, migrationsTransactionMode: 'each' };
}

async function count(dataSource: DataSource, sql: string): Promise<number> {
  const [row] = await dataSource.query(sql);
  return Number(Object.values(row)[0]);
}

/** Migrates a database up to `migrations` and records one failed ingestion with one rejected row there. */
async function recordAuditTrail(url: string, migrations: DataSourceOptions['migrations']): Promise<void> {
  const before = new DataSource(optionsFor(url, migrations));
  await before.initialize();
  try {
    await before.runMigrations();
    const marks = before.options.type === 'postgres' ? '$1' : '?';
    await before.query(
      `INSERT INTO ingestions (table_name, source, source_kind, mode, on_error, status, started_at) VALUES ('jobs', 'a.csv', 'csv', 'insert', 'abort', 'failed', ${marks})`,
      [new Date().toISOString()],
    );
    await before.query(`INSERT INTO ingestion_rejects (ingestion_id, line, error_code, message) VALUES (1, 3, 'required', 'title is required')`);
  } finally {
    await before.destroy();
  }
}

describe('migrations on a database that already holds an audit trail', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('adds the job columns and takes them away again without losing ingestions or their rejected rows', async () => {
    await recordAuditTrail(database.url, [InitialSchema1764000000000]);

    const after = new DataSource(optionsFor(database.url, [InitialSchema1764000000000, IngestionJobs1764100000000]));
    await after.initialize();
    try {
      await after.runMigrations();
      const [upgraded] = await after.query('SELECT status, is_async, bytes_read, heartbeat_at FROM ingestions');
      expect({ ...upgraded, is_async: Boolean(upgraded.is_async), bytes_read: Number(upgraded.bytes_read) }).toEqual({
        status: 'failed',
        is_async: false,
        bytes_read: 0,
        heartbeat_at: null,
      });
      expect(await count(after, 'SELECT COUNT(*) FROM ingestion_rejects')).toBe(1);

      await after.undoLastMigration();
      expect(await count(after, 'SELECT COUNT(*) FROM ingestions')).toBe(1);
      expect(await count(after, 'SELECT COUNT(*) FROM ingestion_rejects')).toBe(1);
    } finally {
      await after.destroy();
    }
  });
});

describe('the dry-run, file-hash, unchanged-count and duplicate-count migrations on a database that already holds an audit trail', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('mark earlier ingestions as real runs without a hash, and are reverted without losing them or their rejected rows', async () => {
    await recordAuditTrail(database.url, [InitialSchema1764000000000, IngestionJobs1764100000000]);

    const after = new DataSource(
      optionsFor(database.url, [
        InitialSchema1764000000000,
        IngestionJobs1764100000000,
        IngestionDryRun1764200000000,
        IngestionFileHash1764300000000,
        IngestionUnchanged1764400000000,
        IngestionDuplicateInFile1764500000000,
      ]),
    );
    await after.initialize();
    try {
      await after.runMigrations();
      const [upgraded] = await after.query('SELECT status, dry_run, sha256, duplicate_of, unchanged, duplicate_in_file FROM ingestions');
      expect({ ...upgraded, dry_run: Boolean(upgraded.dry_run) }).toEqual({
        status: 'failed',
        dry_run: false,
        sha256: null,
        duplicate_of: null,
        unchanged: 0,
        duplicate_in_file: 0,
      });

      for (let i = 0; i < 4; i++) await after.undoLastMigration();
      expect(await count(after, 'SELECT COUNT(*) FROM ingestions')).toBe(1);
      expect(await count(after, 'SELECT COUNT(*) FROM ingestion_rejects')).toBe(1);
    } finally {
      await after.destroy();
    }
  });
});

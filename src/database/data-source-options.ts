import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { Department } from '../departments/entities/department.entity';
import { Employee } from '../employees/entities/employee.entity';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity';
import { IngestionReject } from '../ingest/entities/ingestion-reject.entity';
import { Ingestion } from '../ingest/entities/ingestion.entity';
import { Job } from '../jobs/entities/job.entity';

export const ENTITIES = [Department, Job, Employee, Ingestion, IngestionReject, IdempotencyKey];

// Resolves to migrations/*.ts under ts-node/jest and dist/migrations/*.js when built.
const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', '*.{ts,js}');

export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKind(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (/^sqlite:/i.test(url)) return 'sqlite';
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.replace(/\/\/[^@]*@/, '//***@')}")`);
}

/**
 * The one DataSource builder shared by the app, the TypeORM CLI (ormconfig.ts)
 * and the tests. `synchronize` is never on: migrations own the schema.
 */
export function buildDataSourceOptions(url: string, migrationsRun = false): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: [MIGRATIONS_GLOB],
    migrationsRun,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (databaseKind(url) === 'postgres') {
    // A host that does not answer (not one that refuses) fails a request in 10 s, as a 503, not after minutes.
    return { type: 'postgres', url, ...common, extra: { max: 10, connectionTimeoutMillis: 10_000 } };
  }
  const database = sqlitePath(url);
  if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
  return {
    type: 'better-sqlite3',
    database,
    enableWAL: database !== ':memory:',
    // better-sqlite3 opens with foreign keys on (TypeORM sets the pragma). A
    // busy timeout lets the CLI and the server share the file; with WAL,
    // synchronous=NORMAL cannot corrupt the database and only a power cut can
    // lose the last commits. A 16 MB page cache (default 2 MB) keeps most of the
    // hire-date index's pages in memory while a large file lands in random
    // date order: ~15% faster loads (32 MB: ~30%, but past the memory target).
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
      db.pragma('cache_size = -16384');
    },
    ...common,
  };
}

function sqlitePath(url: string): string {
  const path = url.replace(/^sqlite:(\/\/)?/i, '');
  if (path === '' ) throw new Error('DATABASE_URL sqlite: needs a file path, e.g. sqlite:data/migration.sqlite3');
  return path === ':memory:' ? path : resolve(path);
}

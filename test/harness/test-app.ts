import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { TestDatabase, createTestDatabase, testDbKind } from './test-database';

export interface TestApp {
  readonly baseUrl: string;
  readonly kind: 'sqlite' | 'postgres';
  readonly dataSource: DataSource;
  readonly config: AppConfig;
  /** Empties every table (children first). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real application, listening on a free port, on a database of its own
 * with the real migrations applied at start. `tune` adjusts the loaded config.
 * With `shared`, the app runs on that database instead and leaves it in place
 * when closed (e.g. to restart the service on the same data).
 */
export async function startTestApp(tune: (config: AppConfig) => AppConfig = (c) => c, shared?: TestDatabase): Promise<TestApp> {
  const database: TestDatabase = shared ?? (await createTestDatabase());
  const dropOwn = async (): Promise<void> => {
    if (!shared) await database.drop();
  };
  // Rate limits off: a test file sends far more requests a minute from one address than a client may.
  // The tests of the limiter turn it on with `tune`.
  const loaded = loadConfig({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent', MIGRATIONS_RUN: 'true', RATE_LIMIT_ENABLED: 'false' });
  // TEST_PARSE_WORKER=always runs every upload through the worker-thread parser, whatever its size.
  const config = tune(process.env.TEST_PARSE_WORKER === 'always' ? { ...loaded, ingest: { ...loaded.ingest, parseWorker: 'always' as const } } : loaded);
  let app: NestFastifyApplication;
  try {
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await dropOwn();
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  const dataSource = app.get(DataSource);
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    kind: testDbKind(),
    dataSource,
    config,
    reset: async () => {
      for (const table of ['idempotency_keys', 'ingestion_rejects', 'ingestions', 'employees', 'jobs', 'departments']) {
        await dataSource.query(`DELETE FROM ${table}`);
      }
    },
    close: async () => {
      await app.close();
      await dropOwn();
    },
  };
}

/**
 * Starts one app for the enclosing describe block, empties its tables before
 * each test and closes it afterwards. The returned object stands for the app
 * once it has started.
 */
export function useTestApp(tune?: (config: AppConfig) => AppConfig): TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await startTestApp(tune);
  });
  beforeEach(async () => {
    await current?.reset();
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as TestApp, {
    get: (_target, property) => {
      if (!current) throw new Error('the test app is used before beforeAll started it');
      return Reflect.get(current, property);
    },
  });
}

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
 */
export async function startTestApp(tune: (config: AppConfig) => AppConfig = (c) => c): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase();
  const config = tune(loadConfig({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent', MIGRATIONS_RUN: 'true' }));
  let app: NestFastifyApplication;
  try {
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await database.drop();
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
      for (const table of ['ingestion_rejects', 'ingestions', 'employees', 'jobs', 'departments']) {
        await dataSource.query(`DELETE FROM ${table}`);
      }
    },
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

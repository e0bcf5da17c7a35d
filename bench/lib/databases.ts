import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { timeCommand } from './tools';

export const ADMIN_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for one measurement, dropped by `drop()`. */
export function createPostgresDatabase(name: string): { url: string; drop(): void } {
  const admin = (sql: string): number => timeCommand('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-d', ADMIN_POSTGRES_URL, '-c', sql]);
  admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_POSTGRES_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => void admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A fresh SQLite file path in the bench work folder. */
export function sqlitePath(dir: string, name: string): { url: string; path: string; drop(): void } {
  const path = join(dir, `${name}.sqlite3`);
  const drop = (): void => ['', '-wal', '-shm'].forEach((suffix) => rmSync(path + suffix, { force: true }));
  drop();
  return { url: `sqlite:${path}`, path, drop };
}

export function psql(url: string, script: string): number {
  return timeCommand('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-X', '-d', url, '-f', '-'], script);
}

export function sqlite3(path: string, script: string): number {
  return timeCommand('sqlite3', ['-bail', path], script);
}

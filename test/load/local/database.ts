import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** The database a run loads into, and how to clean up after it. */
export interface LoadDatabase {
  url: string;
  /** For printing: the URL without its password. */
  label: string;
  dispose(): Promise<void>;
}

export const DEFAULT_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** A fresh SQLite file in its own temporary folder (the -wal and -shm files go with it). */
export function temporarySqlite(): LoadDatabase {
  const folder = mkdtempSync(join(tmpdir(), 'dbm-load-'));
  const path = join(folder, 'load.sqlite3');
  return {
    url: `sqlite:${path}`,
    label: `sqlite:${path} (temporary)`,
    dispose: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

async function onAdminConnection(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new PostgreSQL database created through `adminUrl` for this run, dropped afterwards. */
export async function temporaryPostgres(adminUrl: string): Promise<LoadDatabase> {
  const name = `dbm_load_${process.pid}`;
  await onAdminConnection(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await onAdminConnection(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    label: `${withoutPassword(url.toString())} (temporary)`,
    dispose: () => onAdminConnection(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** A database the caller named (DATABASE_URL): used as it is and left in place. */
export function givenDatabase(url: string): LoadDatabase {
  return { url, label: `${withoutPassword(url)} (given, kept)`, dispose: async () => undefined };
}

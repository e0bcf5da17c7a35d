/**
 * Writes the service's OpenAPI document without a running server: builds the
 * Nest app from the sources (ts-node, transpile only) on a throwaway SQLite
 * database and asks it for /docs-json in-process. The UI's client is
 * generated from this, so it always matches the code being built, even on a
 * fresh clone where nothing has been built or started yet.
 *   ts-node --transpile-only admin-ui/scripts/openapi-document.ts <output.json>
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/load-config';

async function main(output: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dbm-openapi-'));
  try {
    // Development mode without keys: the document is the same whatever the keys, and /docs-json stays open.
    const config = loadConfig({
      DATABASE_URL: `sqlite:${join(dir, 'openapi.sqlite3')}`,
      MIGRATIONS_RUN: 'true',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_ENABLED: 'false',
      NODE_ENV: 'development',
      AUTH: 'none',
    });
    const app = await createApp(config);
    try {
      const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
      if (response.statusCode !== 200) throw new Error(`GET /docs-json answered ${response.statusCode}: ${response.body}`);
      writeFileSync(output, response.body);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const output = process.argv[2];
if (!output) {
  console.error('usage: ts-node --transpile-only admin-ui/scripts/openapi-document.ts <output.json>');
  process.exit(2);
}
main(output).catch((error: unknown) => {
  console.error(`openapi-document: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

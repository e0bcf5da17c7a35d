import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateLegacyFiles } from './lib/generate';
import { Figure, machine, printTable, writeResults } from './lib/report';
import { ensureTools } from './lib/tools';
import { benchBatches } from './sections/batches';
import { benchLiveness } from './sections/liveness';
import { LoadOutcome, benchPostgres, benchSqlite } from './sections/loads';
import { benchMetrics } from './sections/metrics';
import { benchBigUpload } from './sections/big-upload';
import { benchParsers } from './sections/parsers';

/**
 * npm run bench [-- --rows N] [--quick] [--big]
 * Builds nothing itself (the npm script builds first); starts the built
 * service on fresh databases and measures it against the databases' own loaders.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      quick: { type: 'boolean', default: false },
      big: { type: 'boolean', default: false },
      out: { type: 'string', default: join(__dirname, 'results') },
    },
  });
  const rows = Number(values.rows ?? (values.quick ? 20_000 : 1_000_000));
  if (!Number.isInteger(rows) || rows < 1000) throw new Error('--rows must be an integer of at least 1000');
  ensureTools();
  const work = join(tmpdir(), `dbm-bench-${process.pid}`);
  mkdirSync(work, { recursive: true });
  console.log(`bench: ${rows.toLocaleString('en-US')} rows on ${machine()}`);
  const files = await generateLegacyFiles(work, rows);
  console.log(`bench: generated ${(files.bytes / 1024 / 1024).toFixed(1)} MB of employees in ${work}`);

  const figures: Figure[] = [];
  const seconds = values.quick ? 1 : 5;
  const metricSamples = values.quick ? 5 : 30;
  try {
    console.log('bench: parsers alone');
    figures.push(await benchParsers(files));
    for (const [label, load] of [
      ['PostgreSQL', () => benchPostgres(files, 18_400)],
      ['SQLite', () => benchSqlite(files, 18_500, work)],
    ] as const) {
      console.log(`bench: ${label} loads`);
      const outcome: LoadOutcome = await load();
      try {
        console.log(`bench: ${label} metrics and batches`);
        figures.push(...outcome.figures, ...(await benchMetrics(label, outcome.server.baseUrl, outcome.databaseUrl, metricSamples)));
        const batches = values.quick ? 5 : 20;
        figures.push(await benchBatches(label, outcome.server.baseUrl, rows + 1, batches, 1));
        figures.push(await benchBatches(label, outcome.server.baseUrl, rows + 1 + batches * 1000, batches, 4));
        if (label === 'SQLite') figures.push(await benchLiveness(outcome.server.baseUrl, 18_600, seconds));
      } finally {
        await outcome.cleanup();
      }
    }
    if (values.big) figures.push(...(await benchBigUpload(work)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const table = printTable(figures);
  console.log(`bench: results written to ${writeResults(values.out, rows, figures, table)}`);
}


main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { BenchFiles } from '../lib/generate';
import { createPostgresDatabase, psql, sqlite3, sqlitePath } from '../lib/databases';
import { uploadFile } from '../lib/http';
import { Figure } from '../lib/report';
import { RunningServer, startServer, withPeakRss } from '../lib/server';

export interface LoadOutcome {
  readonly figures: Figure[];
  /** The service, left running on the loaded database for the next sections. */
  readonly server: RunningServer;
  readonly databaseUrl: string;
  cleanup(): Promise<void>;
}

const UPSERT_SET = 'name = excluded.name, hire_date = excluded.hire_date, department_id = excluded.department_id, job_id = excluded.job_id';
const MB = 1024 * 1024;

/** Loads departments and jobs through the API, then times employees: insert into the empty table, then upsert over it. */
async function ours(server: RunningServer, files: BenchFiles, label: string): Promise<{ figures: Figure[]; insertMs: number; upsertMs: number }> {
  await uploadFile(server.baseUrl, '/departments/upload', files.departments);
  await uploadFile(server.baseUrl, '/jobs/upload', files.jobs);
  const insert = await withPeakRss(server.pid, () => uploadFile(server.baseUrl, '/employees/upload', files.employees));
  const upsert = await withPeakRss(server.pid, () => uploadFile(server.baseUrl, '/employees/upload', files.employees, 'mode=upsert'));
  const timings = insert.result.body.timings_ms as Record<string, number>;
  const stages = Object.entries(timings).map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)}s`).join(', ');
  console.log(`bench: ${label} insert stages: ${stages}`);
  return {
    insertMs: insert.result.ms,
    upsertMs: upsert.result.ms,
    figures: [
      { figure: `${label}: upload RSS growth, insert`, ours: (insert.peak - insert.idle) / MB, baseline: null, unit: 'MB', target: '<= 128 MB' },
      ...Object.entries(timings).map(([stage, ms]) => ({
        figure: `${label}: insert time in ${stage}`,
        ours: ms / 1000,
        baseline: null,
        unit: 's',
      })),
    ],
  };
}

function rowsPerSecond(files: BenchFiles, ms: number): number {
  return files.rows / (ms / 1000);
}

/** Our migrations on an empty database, applied by starting the service once. */
async function applySchema(databaseUrl: string, port: number): Promise<void> {
  const server = await startServer(databaseUrl, port);
  await server.stop();
}

/** Starts the service on its database and measures our uploads; the service stays up for the next sections. */
async function loadThroughService(
  database: { url: string; drop(): void },
  port: number,
  files: BenchFiles,
  label: string,
): Promise<{ server: RunningServer; measured: Awaited<ReturnType<typeof ours>>; cleanup(): Promise<void> }> {
  const server = await startServer(database.url, port);
  const cleanup = async (): Promise<void> => {
    await server.stop();
    database.drop();
  };
  try {
    return { server, measured: await ours(server, files, label), cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

export async function benchPostgres(files: BenchFiles, port: number): Promise<LoadOutcome> {
  // Baseline: the same schema (our migrations), loaded by psql.
  const base = createPostgresDatabase(`bench_base_${process.pid}`);
  await applySchema(base.url, port + 1);
  psql(base.url, `\\copy departments FROM '${files.departments}' WITH (FORMAT csv)\n\\copy jobs FROM '${files.jobs}' WITH (FORMAT csv)\n`);
  const copyMs = psql(base.url, `\\copy employees FROM '${files.employees}' WITH (FORMAT csv)\n`);
  const upsertBaselineMs = psql(
    base.url,
    `BEGIN;\nCREATE TEMP TABLE stage (LIKE employees) ON COMMIT DROP;\n\\copy stage FROM '${files.employees}' WITH (FORMAT csv)\n` +
      `INSERT INTO employees SELECT * FROM stage ON CONFLICT (id) DO UPDATE SET ${UPSERT_SET};\nCOMMIT;\n`,
  );
  base.drop();

  const db = createPostgresDatabase(`bench_ours_${process.pid}`);
  const { server, measured, cleanup } = await loadThroughService(db, port, files, 'PostgreSQL');
  return {
    server,
    databaseUrl: db.url,
    cleanup,
    figures: [
      { figure: 'PostgreSQL: CSV insert (vs psql \\copy)', ours: rowsPerSecond(files, measured.insertMs), baseline: rowsPerSecond(files, copyMs), unit: 'rows/s', target: '>= 1.0' },
      {
        figure: 'PostgreSQL: CSV upsert, full table (vs COPY + INSERT … ON CONFLICT)',
        ours: rowsPerSecond(files, measured.upsertMs),
        baseline: rowsPerSecond(files, upsertBaselineMs),
        unit: 'rows/s',
        target: '>= 1.0',
      },
      ...measured.figures,
    ],
  };
}

export async function benchSqlite(files: BenchFiles, port: number, workDir: string): Promise<LoadOutcome> {
  const base = sqlitePath(workDir, 'bench-base');
  await applySchema(base.url, port + 1);
  sqlite3(base.path, `PRAGMA foreign_keys=ON;\n.import --csv ${files.departments} departments\n.import --csv ${files.jobs} jobs\n`);
  const importMs = sqlite3(base.path, `PRAGMA foreign_keys=ON;\nBEGIN;\n.import --csv ${files.employees} employees\nCOMMIT;\n`);
  base.drop();

  const db = sqlitePath(workDir, 'bench-ours');
  const { server, measured, cleanup } = await loadThroughService(db, port, files, 'SQLite');
  return {
    server,
    databaseUrl: db.url,
    cleanup,
    figures: [
      { figure: 'SQLite: CSV insert (vs sqlite3 .import)', ours: rowsPerSecond(files, measured.insertMs), baseline: rowsPerSecond(files, importMs), unit: 'rows/s', target: '>= 1.3' },
      { figure: 'SQLite: CSV upsert, full table', ours: rowsPerSecond(files, measured.upsertMs), baseline: null, unit: 'rows/s' },
      ...measured.figures,
    ],
  };
}

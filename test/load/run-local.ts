/**
 * ts-node --transpile-only test/load/run-local.ts [--duration 10] [--scenario read_mix ...] [--postgres]
 *
 * The k6 scenarios (test/load/scenarios.ts) run with autocannon against the
 * built service (dist/: `npm run build` first), started here on 127.0.0.1 on
 * a fresh database: a temporary SQLite file by default; with --postgres a
 * temporary PostgreSQL database, created through LOAD_POSTGRES_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards; or
 * DATABASE_URL as given (kept). Seeds the sample data, runs each scenario for
 * its duration (or --duration seconds), prints req/s and p50/p95/p99, and
 * exits 1 when any threshold is broken or any request failed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../../bench/lib/server';
import { freePort } from '../harness/server-process';
import { SCENARIOS, SCENARIO_ORDER, ScenarioName } from './scenarios';
import { DEFAULT_POSTGRES_ADMIN_URL, LoadDatabase, givenDatabase, temporaryPostgres, temporarySqlite } from './local/database';
import { advancePastIdsUsed, runScenario } from './local/drive';
import { ScenarioFigures, breaches, figuresOf, printScenario, printSummary } from './local/report';
import { seedAndDiscover } from './local/seed';

interface RunOptions {
  seconds: number | undefined;
  scenarios: ScenarioName[];
  postgresAdminUrl: string | undefined;
}

function parseOptions(): RunOptions {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      postgres: { type: 'boolean', default: false },
    },
  });
  const seconds = values.duration === undefined ? undefined : Number(values.duration);
  if (seconds !== undefined && !(Number.isInteger(seconds) && seconds > 0)) throw new Error('--duration must be a whole number of seconds');
  const scenarios = (values.scenario ?? [...SCENARIO_ORDER]) as ScenarioName[];
  const unknown = scenarios.filter((name) => !(name in SCENARIOS));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')} (known: ${SCENARIO_ORDER.join(', ')})`);
  const postgresAdminUrl = values.postgres ? (process.env.LOAD_POSTGRES_URL ?? DEFAULT_POSTGRES_ADMIN_URL) : undefined;
  return { seconds, scenarios, postgresAdminUrl };
}

async function chooseDatabase(options: RunOptions): Promise<LoadDatabase> {
  if (options.postgresAdminUrl) return temporaryPostgres(options.postgresAdminUrl);
  if (process.env.DATABASE_URL) return givenDatabase(process.env.DATABASE_URL);
  return temporarySqlite();
}

/** Runs the chosen scenarios on one server and database; sets the exit code when any failed. */
async function runAll(options: RunOptions, database: LoadDatabase): Promise<void> {
  const server = await startServer(database.url, await freePort(), { LOG_LEVEL: 'silent', MIGRATIONS_RUN: 'true' });
  try {
    let seed = await seedAndDiscover(server.baseUrl);
    console.log(
      `seeded: ${seed.departments.length} departments, ${seed.jobs.length} jobs, ${seed.employeeIds.length} employees; ` +
        `new employee ids from ${seed.firstFreeEmployeeId}`,
    );
    const all: ScenarioFigures[] = [];
    let failed = false;
    for (const name of options.scenarios) {
      const scenario = SCENARIOS[name];
      const outcome = await runScenario(server.baseUrl, scenario, seed, options.seconds ?? scenario.durationSeconds);
      seed = advancePastIdsUsed(seed, outcome);
      const figures = figuresOf(outcome);
      const problems = breaches(outcome, figures);
      printScenario(outcome, figures, problems);
      all.push(figures);
      failed ||= problems.length > 0;
    }
    printSummary(database.label, all);
    if (failed) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!existsSync(join(__dirname, '..', '..', 'dist', 'src', 'main.js'))) {
    throw new Error('dist/src/main.js is missing: run `npm run build` first (npm run load:local does)');
  }
  const database = await chooseDatabase(options);
  console.log(`load: ${database.label}`);
  try {
    await runAll(options, database);
  } finally {
    await database.dispose();
  }
  console.log(process.exitCode ? '\nload: FAILED' : '\nload: all scenarios passed');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * The image rehearsal (npm run rehearse:image): what `docker build` and
 * `docker run` would do, without a Docker engine. It assembles in a temp
 * folder exactly the files the Dockerfile's runtime stage copies (read from the
 * Dockerfile), installs production dependencies there with `npm ci
 * --omit=dev`, starts the runtime stage's CMD with its ENV against a fresh
 * PostgreSQL database, runs the HEALTHCHECK command, checks /health and uploads
 * the sample files, then stops it with SIGTERM and expects exit code 0.
 *
 * It catches a runtime import of a dev dependency, a folder the image forgets,
 * or a start-up that only works from the repository. Needs `npm run build` first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { startServerProcess } from '../harness/server-process';
import { createTestDatabase } from '../harness/test-database';
import { REPO_ROOT, copiesOf, envOf, execForm, instructionsOf, readDockerfile, runCommandsOf, runtimeStage, stageNamed, workdirOf } from './dockerfile';

const SAMPLES = [
  ['departments', 'departments.csv'],
  ['jobs', 'jobs.csv'],
  ['employees', 'hired_employees.csv'],
] as const;

function step(message: string): void {
  console.log(`rehearse:image: ${message}`);
}

/** Copies one COPY line into the image folder; a stage's node_modules is installed the way that stage does it. */
function assemble(image: string): void {
  const stages = readDockerfile();
  const runtime = runtimeStage(stages);
  const ignored = dockerignore().add(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));
  let install: string | null = null;
  for (const copy of copiesOf(runtime)) {
    const destination = join(image, copy.destination);
    for (const source of copy.sources) {
      if (copy.from === null) {
        if (!existsSync(join(REPO_ROOT, source))) throw new Error(`COPY ${source}: not in the build context`);
        // Docker sends the context through .dockerignore: so does the rehearsal.
        cpSync(join(REPO_ROOT, source), copy.sources.length > 1 || copy.destination.endsWith('/') ? join(destination, source) : destination, {
          recursive: true,
          filter: (path) => !ignored.ignores(relative(REPO_ROOT, path).split('\\').join('/') || '.'),
        });
        continue;
      }
      const stage = stageNamed(stages, copy.from);
      const inStage = posix.relative(workdirOf(stages, stage), source);
      if (inStage === 'node_modules') {
        install = runCommandsOf(stages, stage).find((command) => /npm ci/.test(command)) ?? null;
        if (!install) throw new Error(`stage ${stage.name} provides node_modules without npm ci`);
        continue;
      }
      // Everything else a stage provides is build output: the local build made the same files.
      const local = join(REPO_ROOT, inStage);
      if (!existsSync(local)) throw new Error(`COPY --from=${copy.from} ${source}: ${inStage} is missing; run npm run build first`);
      cpSync(local, destination, { recursive: true });
    }
  }
  if (install) {
    const command = install.split('&&')[0].trim();
    step(`${command} (production dependencies only)`);
    const [npm, ...args] = command.split(/\s+/);
    execFileSync(npm, args, { cwd: image, stdio: 'inherit', env: { ...process.env, SCARF_ANALYTICS: 'false' } });
  }
}

async function main(): Promise<void> {
  const stages = readDockerfile();
  const runtime = runtimeStage(stages);
  const image = mkdtempSync(join(tmpdir(), 'dbm-image-'));
  const database = await createTestDatabase('postgres');
  try {
    step(`assembling the runtime stage "${runtime.name}" in ${image}`);
    assemble(image);
    const cmd = execForm(instructionsOf(runtime, 'CMD').pop()!);
    const imageEnv = { ...envOf(stages, runtime), DATABASE_URL: database.url, HOME: image };
    step('starting it without API keys: production mode must refuse');
    await refusesToStartWithoutKeys(cmd, image, imageEnv);
    step('refused, naming AUTH=none');
    const env = { ...imageEnv, API_KEYS: `rehearsal:write:${REHEARSAL_KEY}` };
    step(`starting ${cmd.join(' ')} on PostgreSQL`);
    const server = await startServerProcess({ command: cmd, cwd: image, env });
    const port = new URL(server.baseUrl).port;
    let exit: number | string;
    try {
      const healthcheck = execForm(instructionsOf(runtime, 'HEALTHCHECK')[0]);
      const probe = spawnSync(healthcheck[0], healthcheck.slice(1), { cwd: image, env: { ...env, PORT: port, PATH: process.env.PATH }, timeout: 10_000 });
      if (probe.status !== 0) throw new Error(`the HEALTHCHECK command failed (exit ${probe.status}): ${probe.stderr}`);
      step('HEALTHCHECK passed');

      const health = await fetch(`${server.baseUrl}/health`);
      if (health.status !== 200) throw new Error(`GET /health answered ${health.status}: ${await health.text()}`);
      step('GET /health: 200');

      for (const [table, file] of SAMPLES) {
        const form = new FormData();
        form.append('file', new Blob([readFileSync(join(image, 'data', file))]), file);
        const response = await fetch(`${server.baseUrl}/${table}/upload`, { method: 'POST', body: form, headers: AUTHORIZATION });
        const body = (await response.json()) as { status?: string; inserted?: number };
        if (response.status !== 201 || body.status !== 'succeeded') {
          throw new Error(`POST /${table}/upload answered ${response.status}: ${JSON.stringify(body)}`);
        }
        step(`POST /${table}/upload: ${response.status}, ${body.inserted} rows inserted`);
      }
      const metrics = await fetch(`${server.baseUrl}/metrics/departments_above_mean?year=2021`, { headers: AUTHORIZATION });
      if (metrics.status !== 200) throw new Error(`GET /metrics/departments_above_mean answered ${metrics.status}`);
      step('GET /metrics/departments_above_mean: 200');
    } finally {
      exit = await server.stop('SIGTERM');
    }
    if (exit !== 0) {
      console.error(server.output());
      throw new Error(`the server exited with ${exit} after SIGTERM (expected 0)`);
    }
    step('SIGTERM: exit code 0');
    step('passed');
  } finally {
    await database.drop();
    rmSync(image, { recursive: true, force: true });
  }
}

const REHEARSAL_KEY = randomBytes(24).toString('base64url');
const AUTHORIZATION = { authorization: `Bearer ${REHEARSAL_KEY}` };

async function refusesToStartWithoutKeys(cmd: string[], cwd: string, env: Record<string, string>): Promise<void> {
  const started = spawnSync(cmd[0], cmd.slice(1), { cwd, env: { ...env, PORT: '0', PATH: process.env.PATH }, timeout: 30_000, encoding: 'utf8' });
  const output = `${started.stdout}${started.stderr}`;
  if (started.status === 0 || started.status === null || !output.includes('AUTH=none')) {
    throw new Error(`without API keys the image should refuse to start, naming AUTH=none (exit ${started.status}): ${output}`);
  }
}

main().catch((error: unknown) => {
  console.error(`rehearse:image: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

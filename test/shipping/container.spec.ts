import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { parse as parseYaml } from 'yaml';
import { ROLLBACK_WAIT_MS } from '../../src/lifecycle/graceful-shutdown.service';
import {
  REPO_ROOT,
  copiesOf,
  envOf,
  execForm,
  instructionsOf,
  readDockerfile,
  runCommandsOf,
  runtimeStage,
  stageNamed,
} from './dockerfile';

// No Docker engine on the build machines: these checks read the files the
// engine would, and `npm run rehearse:image` runs what the runtime stage copies.
const stages = readDockerfile();
const runtime = runtimeStage(stages);
const ignored = dockerignore().add(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));

describe('Dockerfile', () => {
  it('is multi-stage: a build stage that installs and compiles, and a separate runtime stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stageNamed(stages, 'build');
    expect(runCommandsOf(stages, build)).toEqual(expect.arrayContaining(['npm ci', 'npm run build']));
    // The runtime stage starts from a clean Node image, not from a stage holding the toolchain and dev dependencies.
    expect(stages.map((s) => s.name)).not.toContain(runtime.base);
    expect(runCommandsOf(stages, runtime).join('\n')).not.toMatch(/apt-get install|npm (ci|install)/);
  });

  it('builds and runs on the same Node 20 line, with the toolchain for better-sqlite3 only where it compiles', () => {
    const images = stages.filter((s) => !stages.some((other) => other.name === s.base)).map((s) => s.base);
    expect(new Set(images).size).toBe(1);
    expect(images[0]).toMatch(/^node:20(\.\d+){0,2}-/);
    expect(runCommandsOf(stages, stageNamed(stages, 'build')).join('\n')).toMatch(/python3.*make.*g\+\+/);
  });

  it('runtime holds only production dependencies, dist, config and the data samples', () => {
    const copies = copiesOf(runtime);
    const fromContext = copies.filter((c) => c.from === null).flatMap((c) => c.sources);
    expect(fromContext.sort()).toEqual(['config', 'data', 'package-lock.json', 'package.json']);
    const fromStages = copies.filter((c) => c.from !== null);
    const nodeModules = fromStages.find((c) => c.sources.some((s) => s.endsWith('/node_modules')));
    expect(nodeModules).toBeDefined();
    // node_modules comes from a stage that installed without dev dependencies.
    const depsStage = stageNamed(stages, nodeModules!.from!);
    expect(runCommandsOf(stages, depsStage).join('\n')).toMatch(/npm ci --omit=dev/);
    const built = fromStages.filter((c) => c !== nodeModules).flatMap((c) => c.sources);
    expect(built).toEqual(expect.arrayContaining(['/app/dist/src', '/app/dist/migrations', '/app/dist/ormconfig.js']));
    expect(built.every((source) => source.startsWith('/app/dist/'))).toBe(true);
  });

  it('copies only files that exist and that .dockerignore lets into the context', () => {
    for (const source of copiesOf(stageNamed(stages, 'build')).concat(copiesOf(runtime)).filter((c) => c.from === null).flatMap((c) => c.sources)) {
      expect({ source, exists: existsSync(join(REPO_ROOT, source)) }).toEqual({ source, exists: true });
      expect({ source, ignored: ignored.ignores(source) }).toEqual({ source, ignored: false });
    }
  });

  it('runs as a non-root user in production mode, exposes 8000 and starts node directly', () => {
    const user = instructionsOf(runtime, 'USER').pop()?.getArgumentsContent();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(instructionsOf(runtime, 'EXPOSE').map((i) => i.getArgumentsContent())).toEqual(['8000']);
    expect(envOf(stages, runtime)).toMatchObject({ NODE_ENV: 'production', PORT: '8000' });
    // Exec form with node as PID 1: SIGTERM reaches the service, not a shell or npm.
    const cmd = execForm(instructionsOf(runtime, 'CMD').pop()!);
    expect(cmd[0]).toBe('node');
    expect(cmd[cmd.length - 1]).toBe('dist/src/main.js');
  });

  it('has a HEALTHCHECK that asks /health/live with node itself (the slim image has no curl)', () => {
    const [healthcheck] = instructionsOf(runtime, 'HEALTHCHECK');
    expect(healthcheck).toBeDefined();
    const command = execForm(healthcheck);
    expect(command[0]).toBe('node');
    expect(command.join(' ')).toContain('/health/live');
    expect(command.join(' ')).not.toMatch(/\b(curl|wget)\b/);
  });
});

describe('.dockerignore', () => {
  it.each(['node_modules', 'dist', 'data/migration.sqlite3', 'data/migration.sqlite3-wal', 'test/e2e/x.ts', '.env', 'config/.env', '.git', 'infra/aws/terraform.tfstate', 'infra/aws/prod.tfvars'])(
    'keeps %s out of the build context',
    (path) => expect(ignored.ignores(path)).toBe(true),
  );
});

describe('docker-compose.yml', () => {
  const compose = parseYaml(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'));
  const api = compose.services.api;
  const db = compose.services.db;

  it('runs PostgreSQL 15 with a health check, its data in a named volume', () => {
    expect(db.image).toMatch(/^postgres:15(\.|-|$)/);
    expect(db.healthcheck.test.join(' ')).toContain('pg_isready');
    const [volume, target] = String(db.volumes[0]).split(':');
    expect(target).toBe('/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('builds the API from this Dockerfile, publishes 8000 and waits for a healthy database', () => {
    expect(api.build).toBe('.');
    expect(api.ports).toContain('8000:8000');
    expect(api.depends_on.db.condition).toBe('service_healthy');
  });

  it('gives the API DATABASE_URL pointing at the db service and applies migrations at start', () => {
    const url = new URL(api.environment.DATABASE_URL.replace(/\$\{[^}]*\}/g, 'secret'));
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('db');
    expect(url.pathname).toBe(`/${db.environment.POSTGRES_DB}`);
    expect(url.username).toBe(db.environment.POSTGRES_USER);
    expect(api.environment.MIGRATIONS_RUN).toBe('true');
  });

  it('runs the API in production mode, with API keys required from the environment', () => {
    // The image sets NODE_ENV=production; compose must not turn it off, nor authentication.
    expect(api.environment.NODE_ENV ?? 'production').toBe('production');
    expect(api.environment.AUTH).toBeUndefined();
    expect(api.environment.API_KEYS).toMatch(/^\$\{API_KEYS:\?.+\}$/);
  });

  it('waits longer than the shutdown grace period and the rollback wait after it before killing the API', () => {
    const seconds = Number(/^(\d+)s$/.exec(api.stop_grace_period)?.[1]);
    expect(seconds * 1000).toBeGreaterThan(Number(api.environment.SHUTDOWN_GRACE_MS) + ROLLBACK_WAIT_MS);
  });
});

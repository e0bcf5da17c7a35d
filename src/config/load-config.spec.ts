import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ConfigError, loadConfig } from './load-config';

const REPO_ROOT = resolve(__dirname, '../..');
const REAL_DIR = join(REPO_ROOT, 'config');
const REAL_SETTINGS = parseYaml(readFileSync(join(REAL_DIR, 'settings.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
const REAL_MAPPINGS = parseYaml(readFileSync(join(REAL_DIR, 'header_mappings.yaml'), 'utf8')) as Record<string, Record<string, string[]>>;

describe(loadConfig.name, () => {
  const tempDirs: string[] = [];

  afterAll(() => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A config dir with the real files, each optionally replaced (an object is written as YAML, a string as is). */
  function configDir(files: { settings?: unknown; mappings?: unknown } = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'load-config-spec-'));
    tempDirs.push(dir);
    const write = (name: string, content: unknown, fallback: string): void => {
      const text = content === undefined ? readFileSync(join(REAL_DIR, fallback), 'utf8') : typeof content === 'string' ? content : stringifyYaml(content);
      writeFileSync(join(dir, name), text);
    };
    write('settings.yaml', files.settings, 'settings.yaml');
    write('header_mappings.yaml', files.mappings, 'header_mappings.yaml');
    return dir;
  }

  function settingsWith(section: string, key: string, value: unknown): Record<string, Record<string, unknown>> {
    const settings = structuredClone(REAL_SETTINGS);
    settings[section] = { ...settings[section], [key]: value };
    return settings;
  }

  function mappingsWith(table: string, section: unknown): Record<string, unknown> {
    return { ...structuredClone(REAL_MAPPINGS), [table]: section };
  }

  /** Runs loadConfig expecting a ConfigError; returns its message. */
  function configError(env: Record<string, string | undefined>): string {
    let thrown: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).name).toBe('ConfigError');
    return (thrown as ConfigError).message;
  }

  describe('the real config dir', () => {
    it('reads settings.yaml into the typed config', () => {
      const config = loadConfig({ CONFIG_DIR: REAL_DIR });
      expect(config.server).toEqual({
        host: '0.0.0.0',
        port: 8000,
        shutdownGraceMs: 20000,
        trustProxy: false,
        maxHeaderBytes: 16384,
        bodyLimitBytes: 1048576,
        headersTimeoutMs: 20000,
        requestTimeoutMs: 0,
        idleTimeoutMs: 300000,
      });
      expect(config.database).toEqual({ url: 'sqlite:data/migration.sqlite3', migrationsRun: true });
      expect(config.logging).toEqual({ level: 'info' });
      expect(config.ingest).toEqual({
        defaultMode: 'insert',
        defaultOnError: 'abort',
        maxUploadBytes: 2147483648,
        maxRejectsKept: 1000,
        maxErrors: null,
        chunkRows: 1000,
        parseWorker: 'auto',
        parseWorkerMinBytes: 1048576,
        maxConcurrentLoads: 4,
        idempotencyKeyRetentionMs: 86_400_000,
        maxRowsPerFile: 50_000_000,
        maxPendingLoads: 16,
        retryAfterSeconds: 10,
        maxBatchBytes: 5_242_880,
        maxFields: 20,
        maxFieldBytes: 8192,
      });
      expect(config.jobs).toEqual({ instanceId: expect.stringMatching(/.+-\d+-[0-9a-f]{6}$/), heartbeatMs: 1000, staleAfterMs: 30000, spoolDir: expect.any(String) });
      expect(config.backups).toEqual({ dir: resolve('data/backups') });
    });

    it('defaults backups.dir to data/backups when the section is missing', () => {
      const settings = structuredClone(REAL_SETTINGS);
      delete settings.backups;
      expect(loadConfig({ CONFIG_DIR: configDir({ settings }) }).backups.dir).toBe(resolve('data/backups'));
    });

    it('reads a number in ingest.max_errors as the default error budget', () => {
      const dir = configDir({ settings: settingsWith('ingest', 'max_errors', 25) });
      expect(loadConfig({ CONFIG_DIR: dir }).ingest.maxErrors).toBe(25);
    });

    it('takes the backup folder from BACKUP_DIR, made absolute', () => {
      expect(loadConfig({ CONFIG_DIR: REAL_DIR, BACKUP_DIR: '/srv/backups' }).backups.dir).toBe('/srv/backups');
      expect(loadConfig({ CONFIG_DIR: REAL_DIR, BACKUP_DIR: 'var/avro' }).backups.dir).toBe(resolve('var/avro'));
    });

    it('takes the instance id from INSTANCE_ID', () => {
      expect(loadConfig({ CONFIG_DIR: REAL_DIR, INSTANCE_ID: 'api-blue-1' }).jobs.instanceId).toBe('api-blue-1');
    });

    it('reads header_mappings.yaml for every table and column', () => {
      const { headerMappings } = loadConfig({ CONFIG_DIR: REAL_DIR });
      expect(Object.keys(headerMappings).sort()).toEqual(['departments', 'employees', 'jobs']);
      expect(headerMappings.departments).toEqual({
        id: ['id', 'department_id', 'dept_id'],
        name: ['name', 'department', 'department_name', 'dept_name'],
      });
      expect(Object.keys(headerMappings.employees)).toEqual(['id', 'name', 'hire_date', 'department_id', 'job_id']);
      expect(headerMappings.jobs.title).toContain('job_title');
    });

    it('reads ./config by default, relative to the working directory', () => {
      const cwd = jest.spyOn(process, 'cwd').mockReturnValue(REPO_ROOT);
      try {
        expect(loadConfig({ INSTANCE_ID: 'one' })).toEqual(loadConfig({ CONFIG_DIR: REAL_DIR, INSTANCE_ID: 'one' }));
      } finally {
        cwd.mockRestore();
      }
    });
  });

  describe('environment overrides', () => {
    it('applies PORT, HOST, SHUTDOWN_GRACE_MS, DATABASE_URL, LOG_LEVEL and MIGRATIONS_RUN', () => {
      const config = loadConfig({
        CONFIG_DIR: REAL_DIR,
        PORT: '9090',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://user:pass@db:5432/app',
        LOG_LEVEL: 'debug',
        MIGRATIONS_RUN: 'false',
        SHUTDOWN_GRACE_MS: '5000',
      });
      expect(config.server).toMatchObject({ host: '127.0.0.1', port: 9090, shutdownGraceMs: 5000 });
      expect(config.database).toEqual({ url: 'postgres://user:pass@db:5432/app', migrationsRun: false });
      expect(config.logging.level).toBe('debug');
    });

    it('reads MIGRATIONS_RUN=true as true', () => {
      const dir = configDir({ settings: settingsWith('database', 'migrations_run', false) });
      expect(loadConfig({ CONFIG_DIR: dir }).database.migrationsRun).toBe(false);
      expect(loadConfig({ CONFIG_DIR: dir, MIGRATIONS_RUN: 'true' }).database.migrationsRun).toBe(true);
    });

    it('leaves the file values alone when the variables are unset or empty', () => {
      const config = loadConfig({ CONFIG_DIR: REAL_DIR, PORT: '', DATABASE_URL: '', LOG_LEVEL: undefined });
      expect(config.server.port).toBe(8000);
      expect(config.database.url).toBe('sqlite:data/migration.sqlite3');
      expect(config.logging.level).toBe('info');
    });

    it('does not modify the env object it is given', () => {
      const env = { CONFIG_DIR: REAL_DIR, PORT: '9090' };
      loadConfig(env);
      expect(env).toEqual({ CONFIG_DIR: REAL_DIR, PORT: '9090' });
    });

    it.each([
      ['PORT', 'abc', 'server.port', '"abc"'],
      ['PORT', '70000', 'server.port', '70000'],
      ['PORT', '80.5', 'server.port', '"80.5"'],
      ['SHUTDOWN_GRACE_MS', '-1', 'server.shutdown_grace_ms', '"-1"'],
      ['LOG_LEVEL', 'loud', 'logging.level', '"loud"'],
    ])('rejects %s=%s with a ConfigError naming %s', (variable, value, key, shown) => {
      const message = configError({ CONFIG_DIR: REAL_DIR, [variable]: value });
      expect(message).toContain(key);
      expect(message).toContain(`(got ${shown})`);
    });
  });

  describe('invalid settings.yaml', () => {
    it('rejects ingest.default_mode: bogus, naming the key and the value', () => {
      const message = configError({ CONFIG_DIR: configDir({ settings: settingsWith('ingest', 'default_mode', 'bogus') }) });
      expect(message).toMatch(/^config\/settings\.yaml: /);
      expect(message).toContain('ingest.default_mode');
      expect(message).toContain('"bogus"');
      expect(message).toContain('insert, upsert, skip');
    });

    it.each([
      ['ingest', 'default_on_error', 'continue', 'ingest.default_on_error'],
      ['ingest', 'max_upload_bytes', 0, 'ingest.max_upload_bytes'],
      ['ingest', 'max_rejects_kept', -1, 'ingest.max_rejects_kept'],
      ['ingest', 'chunk_rows', 0, 'ingest.chunk_rows'],
      ['ingest', 'chunk_rows', 10001, 'ingest.chunk_rows'],
      ['ingest', 'chunk_rows', '1000', 'ingest.chunk_rows'],
      ['server', 'port', -1, 'server.port'],
      ['server', 'host', '', 'server.host'],
      ['database', 'url', '', 'database.url'],
      ['database', 'migrations_run', 'yes', 'database.migrations_run'],
      ['ingest', 'max_concurrent_loads', 0, 'ingest.max_concurrent_loads'],
      ['ingest', 'max_concurrent_loads', 9, 'ingest.max_concurrent_loads'],
      ['ingest', 'parse_worker_min_bytes', -1, 'ingest.parse_worker_min_bytes'],
      ['ingest', 'parse_worker', 'sometimes', 'ingest.parse_worker'],
      ['jobs', 'heartbeat_ms', 10, 'jobs.heartbeat_ms'],
      ['jobs', 'stale_after_ms', 'soon', 'jobs.stale_after_ms'],
      ['jobs', 'stale_after_ms', 2000, 'jobs.stale_after_ms must be at least 3 × jobs.heartbeat_ms'],
      ['backups', 'dir', 42, 'backups.dir'],
    ])('rejects %s.%s = %j, naming %s', (section, key, value, path) => {
      const message = configError({ CONFIG_DIR: configDir({ settings: settingsWith(section, key, value) }) });
      expect(message).toContain(path);
    });

    it('names every invalid key at once', () => {
      const settings = settingsWith('ingest', 'default_mode', 'bogus');
      settings.logging = { level: 'loud' };
      const message = configError({ CONFIG_DIR: configDir({ settings }) });
      expect(message).toContain('ingest.default_mode');
      expect(message).toContain('logging.level');
    });

    it('rejects a missing key', () => {
      const settings = structuredClone(REAL_SETTINGS);
      delete settings.ingest.chunk_rows;
      expect(configError({ CONFIG_DIR: configDir({ settings }) })).toContain('ingest.chunk_rows');
    });

    it('rejects a missing section with a ConfigError naming it', () => {
      const settings = structuredClone(REAL_SETTINGS);
      delete settings.ingest;
      expect(configError({ CONFIG_DIR: configDir({ settings }) })).toContain('ingest');
    });

    it('rejects a file that is not YAML', () => {
      const message = configError({ CONFIG_DIR: configDir({ settings: 'server: [unclosed\n' }) });
      expect(message).toContain('settings.yaml is not valid YAML');
    });

    it('rejects a config dir without settings.yaml', () => {
      const dir = mkdtempSync(join(tmpdir(), 'load-config-spec-'));
      tempDirs.push(dir);
      expect(configError({ CONFIG_DIR: dir })).toMatch(/^cannot read .*settings\.yaml/);
    });
  });

  describe('invalid header_mappings.yaml', () => {
    it('rejects a column the table does not have', () => {
      const mappings = mappingsWith('departments', { ...REAL_MAPPINGS.departments, budget: ['budget'] });
      const message = configError({ CONFIG_DIR: configDir({ mappings }) });
      expect(message).toContain('departments.budget is not a column');
      expect(message).toContain('columns: id, name');
    });

    it('rejects an alias used by two columns of a table', () => {
      const mappings = mappingsWith('jobs', { id: ['id', 'code'], title: ['title', 'code'] });
      const message = configError({ CONFIG_DIR: configDir({ mappings }) });
      expect(message).toContain('jobs.title alias "code" is already used by jobs.id');
    });

    it('detects a clash after normalising case, spaces and dashes', () => {
      const mappings = mappingsWith('jobs', { id: ['id', 'Job Code'], title: ['title', 'job-code'] });
      expect(configError({ CONFIG_DIR: configDir({ mappings }) })).toContain('alias "job_code" is already used by jobs.id');
    });

    it("rejects an alias that is another column's own name", () => {
      const mappings = mappingsWith('departments', { id: ['id', 'name'], name: ['department'] });
      expect(configError({ CONFIG_DIR: configDir({ mappings }) })).toContain('alias "name"');
    });

    it('allows the same alias in different tables', () => {
      // "name" is a department name and also a job title alias in the real file
      expect(loadConfig({ CONFIG_DIR: REAL_DIR }).headerMappings.jobs.title).toContain('name');
    });

    it('normalises aliases, adds the column name and drops duplicates', () => {
      const mappings = mappingsWith('departments', { id: ['Dept ID', 'dept-id', ' ID '], name: ['Department  Name'] });
      const { headerMappings } = loadConfig({ CONFIG_DIR: configDir({ mappings }) });
      expect(headerMappings.departments).toEqual({ id: ['id', 'dept_id'], name: ['name', 'department_name'] });
    });

    it('rejects an unknown table', () => {
      const mappings = { ...REAL_MAPPINGS, projects: { id: ['id'] } };
      expect(configError({ CONFIG_DIR: configDir({ mappings }) })).toContain('unknown table "projects"');
    });

    it('rejects a missing table', () => {
      const mappings = structuredClone(REAL_MAPPINGS);
      delete mappings.jobs;
      expect(configError({ CONFIG_DIR: configDir({ mappings }) })).toContain('jobs is missing or not a mapping');
    });

    it.each([
      ['a missing column', { id: ['id'] }, 'departments.name'],
      ['a string instead of a list', { id: 'id', name: ['name'] }, 'departments.id'],
      ['an empty alias', { id: ['id', ' '], name: ['name'] }, 'departments.id'],
      ['a non-string alias', { id: ['id', 7], name: ['name'] }, 'departments.id'],
    ])('rejects %s', (_label, section, key) => {
      const message = configError({ CONFIG_DIR: configDir({ mappings: mappingsWith('departments', section) }) });
      expect(message).toContain(`${key} must be a list of non-empty header names`);
    });

    it('rejects a file that is not a mapping', () => {
      expect(configError({ CONFIG_DIR: configDir({ mappings: '- departments\n- jobs\n' }) })).toContain('expected a mapping of tables');
    });
  });

  describe('API keys', () => {
    const sha = (secret: string): string => createHash('sha256').update(secret).digest('hex');

    it('lets everyone in without keys outside production, and says why', () => {
      expect(loadConfig({ CONFIG_DIR: REAL_DIR }).auth).toEqual({ keys: [], openBecause: 'development', protectDocs: false });
      expect(loadConfig({ CONFIG_DIR: REAL_DIR, NODE_ENV: 'test' }).auth.openBecause).toBe('development');
    });

    it('refuses to start in production without keys, unless AUTH=none', () => {
      expect(configError({ CONFIG_DIR: REAL_DIR, NODE_ENV: 'production' })).toMatch(/no API keys are configured.*AUTH=none/);
      expect(loadConfig({ CONFIG_DIR: REAL_DIR, NODE_ENV: 'production', AUTH: 'none' }).auth).toEqual({ keys: [], openBecause: 'AUTH=none', protectDocs: false });
      expect(configError({ CONFIG_DIR: REAL_DIR, AUTH: 'off' })).toContain('AUTH must be "keys"');
    });

    it('reads API_KEYS as name:role:key or name:role:sha256:<hex>, keeping only hashes', () => {
      const { auth } = loadConfig({
        CONFIG_DIR: REAL_DIR,
        NODE_ENV: 'production',
        API_KEYS: ` etl:write:a-long-secret-with:colons-1, ops:admin:sha256:${sha('another-long-secret')} `,
      });
      expect(auth.openBecause).toBeNull();
      expect(auth.keys.map((k) => [k.name, k.role, k.sha256.toString('hex')])).toEqual([
        ['etl', 'write', sha('a-long-secret-with:colons-1')],
        ['ops', 'admin', sha('another-long-secret')],
      ]);
    });

    it('reads keys from auth.keys_file, hashes only', () => {
      const dir = configDir();
      const file = join(dir, 'api-keys.yaml');
      writeFileSync(file, stringifyYaml({ keys: [{ name: 'dashboard', role: 'read', sha256: sha('dashboard-secret-123') }] }));
      const settings = { ...structuredClone(REAL_SETTINGS), auth: { keys_file: file, protect_docs: true } };
      const { auth } = loadConfig({ CONFIG_DIR: configDir({ settings }) });
      expect(auth.keys.map((k) => [k.name, k.role])).toEqual([['dashboard', 'read']]);
      expect(auth.protectDocs).toBe(true);
    });

    it.each([
      ['etl:write', 'must be name:role:key'],
      ['etl:owner:a-long-enough-secret-1', 'the role must be one of read, write, admin'],
      ['e tl:write:a-long-enough-secret-1', 'the name must be'],
      ['etl:write:short', 'at least 16 characters'],
      ['etl:write:sha256:abc', 'sha256 must be 64 hex digits'],
      ['etl:write:a-long-enough-secret-1,etl:read:a-long-enough-secret-2', 'API key name "etl" is used twice'],
      ['a:write:a-long-enough-secret-1,b:read:a-long-enough-secret-1', 'the same secret as another key'],
    ])('refuses API_KEYS=%j, naming the entry but never the secret', (keys, message) => {
      const error = configError({ CONFIG_DIR: REAL_DIR, API_KEYS: keys });
      expect(error).toContain(message);
      expect(error).not.toContain('a-long-enough-secret');
    });

    it('refuses a keys file entry with a key instead of its hash', () => {
      const dir = configDir();
      const file = join(dir, 'api-keys.yaml');
      writeFileSync(file, stringifyYaml({ keys: [{ name: 'etl', role: 'write', key: 'plain-text-secret-123' }] }));
      const settings = { ...structuredClone(REAL_SETTINGS), auth: { keys_file: file } };
      const error = configError({ CONFIG_DIR: configDir({ settings }) });
      expect(error).toContain('needs sha256');
      expect(error).not.toContain('plain-text-secret');
    });
  });
  describe('limits, rate limits and CORS', () => {
    it('reads the defaults written in settings.yaml', () => {
      const config = loadConfig({ CONFIG_DIR: REAL_DIR });
      expect(config.rateLimit).toEqual({
        enabled: true,
        max: 1000,
        writeMax: 100,
        windowMs: 60000,
        redisUrl: null,
        redisKeyPrefix: 'db-migration-api:rate-limit:',
      });
      expect(config.cors).toEqual({ origins: [] });
    });

    it('uses the same defaults when a settings.yaml predates every limit key', () => {
      const settings = structuredClone(REAL_SETTINGS);
      for (const key of ['trust_proxy', 'max_header_bytes', 'body_limit_bytes', 'headers_timeout_ms', 'request_timeout_ms', 'idle_timeout_ms']) {
        delete settings.server[key];
      }
      for (const key of ['max_rows_per_file', 'max_pending_loads', 'retry_after_seconds', 'max_batch_bytes', 'max_fields', 'max_field_bytes']) {
        delete settings.ingest[key];
      }
      delete settings.rate_limit;
      delete settings.cors;
      const real = loadConfig({ CONFIG_DIR: REAL_DIR, INSTANCE_ID: 'one' });
      const old = loadConfig({ CONFIG_DIR: configDir({ settings }), INSTANCE_ID: 'one' });
      expect({ server: old.server, ingest: old.ingest, rateLimit: old.rateLimit, cors: old.cors }).toEqual({
        server: real.server,
        ingest: real.ingest,
        rateLimit: real.rateLimit,
        cors: real.cors,
      });
    });

    it('applies REDIS_URL, RATE_LIMIT_ENABLED, RATE_LIMIT_MAX and RATE_LIMIT_WRITE_MAX', () => {
      const { rateLimit } = loadConfig({
        CONFIG_DIR: REAL_DIR,
        REDIS_URL: 'redis://cache:6379/2',
        RATE_LIMIT_ENABLED: 'false',
        RATE_LIMIT_MAX: '50',
        RATE_LIMIT_WRITE_MAX: '5',
      });
      expect(rateLimit).toMatchObject({ enabled: false, max: 50, writeMax: 5, redisUrl: 'redis://cache:6379/2' });
    });

    it('refuses a RATE_LIMIT_ENABLED that is neither true nor false, rather than reading it as false', () => {
      expect(configError({ CONFIG_DIR: REAL_DIR, RATE_LIMIT_ENABLED: 'no' })).toContain('rate_limit.enabled');
    });

    it.each([
      ['true', true],
      ['false', false],
      ['10.0.0.0/16, 10.1.0.0/16', '10.0.0.0/16,10.1.0.0/16'],
      ['loopback,::1,192.168.1.7', 'loopback,::1,192.168.1.7'],
    ])('reads TRUST_PROXY=%s', (value, expected) => {
      expect(loadConfig({ CONFIG_DIR: REAL_DIR, TRUST_PROXY: value }).server.trustProxy).toEqual(expected);
    });

    it('reads server.trust_proxy from settings.yaml as a boolean or a list', () => {
      expect(loadConfig({ CONFIG_DIR: configDir({ settings: settingsWith('server', 'trust_proxy', true) }) }).server.trustProxy).toBe(true);
      expect(loadConfig({ CONFIG_DIR: configDir({ settings: settingsWith('server', 'trust_proxy', '10.0.0.0/16') }) }).server.trustProxy).toBe('10.0.0.0/16');
    });

    // Fastify 5.12 stopped honouring a hop count (it trusts nobody then): starting would silently drop the setting.
    it('refuses a hop count, from settings.yaml or TRUST_PROXY', () => {
      expect(configError({ CONFIG_DIR: configDir({ settings: settingsWith('server', 'trust_proxy', 2) }) })).toContain('no longer takes a number of proxies');
      expect(configError({ CONFIG_DIR: REAL_DIR, TRUST_PROXY: '1' })).toContain('no longer takes a number of proxies');
    });

    it.each(['10.0.0.0/33', 'not-an-address', '10.0.0.1/8/1'])('refuses TRUST_PROXY=%s, naming the entry', (value) => {
      expect(configError({ CONFIG_DIR: REAL_DIR, TRUST_PROXY: value })).toContain('server.trust_proxy');
    });

    it('refuses a trust_proxy of another type', () => {
      expect(configError({ CONFIG_DIR: configDir({ settings: settingsWith('server', 'trust_proxy', -1) }) })).toContain('server.trust_proxy');
    });

    it('reads CORS_ORIGINS as a comma-separated list; empty turns CORS off', () => {
      expect(loadConfig({ CONFIG_DIR: REAL_DIR, CORS_ORIGINS: 'https://admin.example.com, http://localhost:5173' }).cors.origins).toEqual([
        'https://admin.example.com',
        'http://localhost:5173',
      ]);
      const dir = configDir({ settings: settingsWith('cors', 'origins', ['https://admin.example.com']) });
      expect(loadConfig({ CONFIG_DIR: dir, CORS_ORIGINS: '' }).cors.origins).toEqual([]);
    });

    it.each(['https://admin.example.com/', 'https://admin.example.com/ui', '*', 'admin.example.com', 'ftp://files.example.com'])(
      'refuses the CORS origin %s, which a browser would never send',
      (origin) => {
        expect(configError({ CONFIG_DIR: REAL_DIR, CORS_ORIGINS: origin })).toContain('cors.origins');
      },
    );

    it('refuses a headers timeout longer than a set request timeout', () => {
      const settings = structuredClone(REAL_SETTINGS);
      settings.server = { ...settings.server, headers_timeout_ms: 30000, request_timeout_ms: 10000 };
      expect(configError({ CONFIG_DIR: configDir({ settings }) })).toContain('server.headers_timeout_ms');
    });

    it.each([
      ['ingest', 'max_rows_per_file', 0],
      ['ingest', 'max_pending_loads', 0],
      ['ingest', 'max_batch_bytes', 10],
      ['server', 'max_header_bytes', 100],
      ['server', 'idle_timeout_ms', -1],
      ['rate_limit', 'window_ms', 10],
      ['rate_limit', 'max', 0],
    ])('refuses %s.%s = %p', (section, key, value) => {
      expect(configError({ CONFIG_DIR: configDir({ settings: settingsWith(section, key, value) }) })).toContain(`${section}.${key}`);
    });
  });
});

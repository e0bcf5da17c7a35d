import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import * as dotenv from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { TABLE_NAMES, TABLE_SPECS, TableName, columnNames } from '../common/tables';
import { AppConfig, HeaderMappings } from './app-config';
import { Settings } from './settings.schema';
import { normaliseHeader } from './normalise-header';
import { corsOf, ingestLimitsOf, rateLimitOf, serverLimitsOf } from './limits-config';
import { loadApiKeys } from './load-api-keys';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const DEFAULT_BACKUP_DIR = 'data/backups';

/**
 * Reads config/settings.yaml and config/header_mappings.yaml (or those under
 * CONFIG_DIR), applies environment overrides (a .env file included) and
 * validates the result, throwing a ConfigError that names the offending key.
 */
export function loadConfig(env: Env = loadEnv()): AppConfig {
  const dir = resolve(env.CONFIG_DIR ?? 'config');
  const raw = readYaml(resolve(dir, 'settings.yaml'));
  const withEnv = applyEnvOverrides(raw, env);
  const settings = plainToInstance(Settings, withEnv);
  const errors = validateSync(settings, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(`config/settings.yaml: ${describe(errors)}`);
  }
  if (settings.jobs.stale_after_ms < 3 * settings.jobs.heartbeat_ms) {
    // Otherwise a live instance's jobs would look dead between two of its beats.
    throw new ConfigError('config/settings.yaml: jobs.stale_after_ms must be at least 3 × jobs.heartbeat_ms');
  }
  return {
    server: {
      host: settings.server.host,
      port: settings.server.port,
      shutdownGraceMs: settings.server.shutdown_grace_ms,
      ...serverLimitsOf(settings.server, configError),
    },
    database: { url: settings.database.url, migrationsRun: settings.database.migrations_run },
    logging: settings.logging,
    ingest: {
      defaultMode: settings.ingest.default_mode,
      defaultOnError: settings.ingest.default_on_error,
      maxUploadBytes: settings.ingest.max_upload_bytes,
      maxRejectsKept: settings.ingest.max_rejects_kept,
      maxErrors: settings.ingest.max_errors ?? null,
      chunkRows: settings.ingest.chunk_rows,
      parseWorker: settings.ingest.parse_worker,
      parseWorkerMinBytes: settings.ingest.parse_worker_min_bytes,
      maxConcurrentLoads: settings.ingest.max_concurrent_loads,
      idempotencyKeyRetentionMs: settings.ingest.idempotency_key_retention_hours * 3_600_000,
      ...ingestLimitsOf(settings.ingest),
    },
    jobs: {
      // A random part too: a restarted container keeps its hostname and often pid 1.
      instanceId: settings.jobs.instance_id || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
      heartbeatMs: settings.jobs.heartbeat_ms,
      staleAfterMs: settings.jobs.stale_after_ms,
      spoolDir: settings.jobs.spool_dir || tmpdir(),
    },
    // Absolute now: a relative folder must not move if the working directory changes later.
    backups: { dir: resolve(settings.backups?.dir || DEFAULT_BACKUP_DIR) },
    rateLimit: rateLimitOf(settings.rate_limit),
    cors: corsOf(settings.cors, configError),
    auth: authOf(env, settings),
    headerMappings: parseHeaderMappings(readYaml(resolve(dir, 'header_mappings.yaml'))),
  };
}

/**
 * API keys, or why the service runs without them: it does only in development
 * (NODE_ENV not production) or when AUTH=none says so; in production without
 * keys it refuses to start.
 */
function authOf(env: Env, settings: Settings): AppConfig['auth'] {
  const keys = loadApiKeys({ env: env.API_KEYS, file: settings.auth?.keys_file || undefined }, (message) => new ConfigError(message));
  const protectDocs = settings.auth?.protect_docs ?? false;
  if (env.AUTH !== undefined && env.AUTH !== 'none' && env.AUTH !== 'keys') {
    throw new ConfigError(`AUTH must be "keys" (the default) or "none" (got "${env.AUTH}")`);
  }
  if (env.AUTH === 'none') return { keys: [], openBecause: 'AUTH=none', protectDocs };
  if (keys.length > 0) return { keys, openBecause: null, protectDocs };
  if (env.NODE_ENV === 'production') {
    throw new ConfigError(
      'no API keys are configured (API_KEYS, or auth.keys_file in config/settings.yaml) and NODE_ENV is production; ' +
        'configure keys, or set AUTH=none to run without authentication on purpose',
    );
  }
  return { keys: [], openBecause: 'development', protectDocs };
}

function loadEnv(): Env {
  dotenv.config({ quiet: true });
  return process.env;
}

function readYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
}

function applyEnvOverrides(raw: unknown, env: Env): Record<string, Record<string, unknown>> {
  const settings = structuredClone(isRecord(raw) ? raw : {}) as Record<string, Record<string, unknown>>;
  const set = (section: string, key: string, value: unknown): void => {
    settings[section] = { ...(isRecord(settings[section]) ? settings[section] : {}), [key]: value };
  };
  if (env.HOST) set('server', 'host', env.HOST);
  if (env.PORT) set('server', 'port', toNumberOrRaw(env.PORT));
  if (env.SHUTDOWN_GRACE_MS) set('server', 'shutdown_grace_ms', toNumberOrRaw(env.SHUTDOWN_GRACE_MS));
  if (env.DATABASE_URL) set('database', 'url', env.DATABASE_URL);
  if (env.MIGRATIONS_RUN) set('database', 'migrations_run', env.MIGRATIONS_RUN === 'true');
  if (env.LOG_LEVEL) set('logging', 'level', env.LOG_LEVEL);
  if (env.INSTANCE_ID) set('jobs', 'instance_id', env.INSTANCE_ID);
  if (env.BACKUP_DIR) set('backups', 'dir', env.BACKUP_DIR);
  // Behind a load balancer: whose X-Forwarded-For to believe (see trustProxyOf).
  if (env.TRUST_PROXY) set('server', 'trust_proxy', env.TRUST_PROXY);
  if (env.RATE_LIMIT_ENABLED) set('rate_limit', 'enabled', toBooleanOrRaw(env.RATE_LIMIT_ENABLED));
  if (env.RATE_LIMIT_MAX) set('rate_limit', 'max', toNumberOrRaw(env.RATE_LIMIT_MAX));
  if (env.RATE_LIMIT_WRITE_MAX) set('rate_limit', 'write_max', toNumberOrRaw(env.RATE_LIMIT_WRITE_MAX));
  if (env.REDIS_URL) set('rate_limit', 'redis_url', env.REDIS_URL);
  if (env.CORS_ORIGINS !== undefined) set('cors', 'origins', env.CORS_ORIGINS.split(','));
  return settings;
}

function parseHeaderMappings(raw: unknown): HeaderMappings {
  const where = 'config/header_mappings.yaml';
  if (!isRecord(raw)) throw new ConfigError(`${where}: expected a mapping of tables`);
  for (const key of Object.keys(raw)) {
    if (!(TABLE_NAMES as readonly string[]).includes(key)) {
      throw new ConfigError(`${where}: unknown table "${key}" (known: ${TABLE_NAMES.join(', ')})`);
    }
  }
  const result = {} as Record<TableName, Record<string, string[]>>;
  for (const table of TABLE_NAMES) {
    const section = raw[table];
    if (!isRecord(section)) throw new ConfigError(`${where}: ${table} is missing or not a mapping`);
    const columns = columnNames(TABLE_SPECS[table]);
    const owner = new Map<string, string>();
    result[table] = {};
    for (const key of Object.keys(section)) {
      if (!columns.includes(key)) {
        throw new ConfigError(`${where}: ${table}.${key} is not a column (columns: ${columns.join(', ')})`);
      }
    }
    for (const column of columns) {
      const aliases = section[column];
      if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string' || a.trim() === '')) {
        throw new ConfigError(`${where}: ${table}.${column} must be a list of non-empty header names`);
      }
      const normalised = [...new Set([column, ...aliases.map(String)].map(normaliseHeader))];
      for (const alias of normalised) {
        const previous = owner.get(alias);
        if (previous && previous !== column) {
          throw new ConfigError(`${where}: ${table}.${column} alias "${alias}" is already used by ${table}.${previous}`);
        }
        owner.set(alias, column);
      }
      result[table][column] = normalised;
    }
  }
  return result;
}

function describe(errors: ValidationError[], prefix = ''): string {
  return errors
    .flatMap((error) => {
      const path = `${prefix}${error.property}`;
      if (error.children && error.children.length > 0) return [describe(error.children, `${path}.`)];
      const messages = Object.values(error.constraints ?? {}).map((m) => m.replace(error.property, ''));
      return [`${path}${messages.length ? ':' : ''}${messages.join(';')} (got ${JSON.stringify(error.value)})`];
    })
    .join('; ');
}

// Anything but true or false is left for validation to reject, rather than read as false.
function toBooleanOrRaw(value: string): boolean | string {
  return value === 'true' ? true : value === 'false' ? false : value;
}

function configError(message: string): ConfigError {
  return new ConfigError(message);
}

function toNumberOrRaw(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { isIP } from 'node:net';
import type { AppConfig } from './app-config';
import type { CorsSettings, IngestSettings, RateLimitSettings, ServerSettings } from './settings.schema';

/**
 * The request limits, timeouts, rate limits and CORS origins of the typed
 * config. Every key is optional in settings.yaml (a file written before they
 * existed still loads); these are the defaults, also written out there.
 */
export const LIMIT_DEFAULTS = {
  // Node's own default: enough for an API key, a request id and the usual browser headers.
  maxHeaderBytes: 16 * 1024,
  bodyLimitBytes: 1024 * 1024,
  // A client, or a load balancer in front, sends its headers at once: a slow trickle is an attack (slowloris).
  headersTimeoutMs: 20_000,
  // A 2 GiB upload over a slow link takes as long as it takes; the idle timeout is what catches a stalled one.
  requestTimeoutMs: 0,
  // As long as the ALB's idle timeout (300 s in infra/aws): a synchronous upload waiting for its turn sends nothing meanwhile.
  idleTimeoutMs: 300_000,
  maxRowsPerFile: 50_000_000,
  maxPendingLoads: 16,
  retryAfterSeconds: 10,
  // 1000 rows with long names stay well under this.
  maxBatchBytes: 5 * 1024 * 1024,
  maxFields: 20,
  // Options are a few bytes; a field this large is a mistake or an attack, and busboy holds each in memory.
  maxFieldBytes: 8 * 1024,
  rateLimitMax: 1000,
  rateLimitWriteMax: 100,
  rateLimitWindowMs: 60_000,
  redisKeyPrefix: 'db-migration-api:rate-limit:',
} as const;

type Fail = (message: string) => Error;
type ServerLimits = Omit<AppConfig['server'], 'host' | 'port' | 'shutdownGraceMs'>;
type IngestLimits = Pick<
  AppConfig['ingest'],
  'maxRowsPerFile' | 'maxPendingLoads' | 'retryAfterSeconds' | 'maxBatchBytes' | 'maxFields' | 'maxFieldBytes'
>;

export function serverLimitsOf(server: ServerSettings, fail: Fail): ServerLimits {
  const limits: ServerLimits = {
    trustProxy: trustProxyOf(server.trust_proxy, fail),
    maxHeaderBytes: server.max_header_bytes ?? LIMIT_DEFAULTS.maxHeaderBytes,
    bodyLimitBytes: server.body_limit_bytes ?? LIMIT_DEFAULTS.bodyLimitBytes,
    headersTimeoutMs: server.headers_timeout_ms ?? LIMIT_DEFAULTS.headersTimeoutMs,
    requestTimeoutMs: server.request_timeout_ms ?? LIMIT_DEFAULTS.requestTimeoutMs,
    idleTimeoutMs: server.idle_timeout_ms ?? LIMIT_DEFAULTS.idleTimeoutMs,
  };
  // Node refuses to create such a server; say which keys instead.
  if (limits.requestTimeoutMs > 0 && limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw fail('config/settings.yaml: server.headers_timeout_ms must not exceed server.request_timeout_ms (or set request_timeout_ms to 0)');
  }
  return limits;
}

export function ingestLimitsOf(ingest: IngestSettings): IngestLimits {
  return {
    maxRowsPerFile: ingest.max_rows_per_file ?? LIMIT_DEFAULTS.maxRowsPerFile,
    maxPendingLoads: ingest.max_pending_loads ?? LIMIT_DEFAULTS.maxPendingLoads,
    retryAfterSeconds: ingest.retry_after_seconds ?? LIMIT_DEFAULTS.retryAfterSeconds,
    maxBatchBytes: ingest.max_batch_bytes ?? LIMIT_DEFAULTS.maxBatchBytes,
    maxFields: ingest.max_fields ?? LIMIT_DEFAULTS.maxFields,
    maxFieldBytes: ingest.max_field_bytes ?? LIMIT_DEFAULTS.maxFieldBytes,
  };
}

export function rateLimitOf(settings: RateLimitSettings | undefined): AppConfig['rateLimit'] {
  return {
    enabled: settings?.enabled ?? true,
    max: settings?.max ?? LIMIT_DEFAULTS.rateLimitMax,
    writeMax: settings?.write_max ?? LIMIT_DEFAULTS.rateLimitWriteMax,
    windowMs: settings?.window_ms ?? LIMIT_DEFAULTS.rateLimitWindowMs,
    redisUrl: settings?.redis_url || null,
    redisKeyPrefix: settings?.redis_key_prefix ?? LIMIT_DEFAULTS.redisKeyPrefix,
  };
}

export function corsOf(settings: CorsSettings | undefined, fail: Fail): AppConfig['cors'] {
  const origins = (settings?.origins ?? []).map((origin) => origin.trim()).filter((origin) => origin !== '');
  for (const origin of origins) {
    // A browser sends exactly scheme://host[:port]; anything else (a path, a trailing slash, "*") would never match or match too much.
    if (originOf(origin) !== origin) {
      throw fail(`config/settings.yaml: cors.origins entry "${origin}" is not an origin such as https://admin.example.com (scheme, host, optional port; no path)`);
    }
  }
  return { origins };
}

/**
 * Which proxies are trusted to say who the client is (X-Forwarded-For), in
 * the forms Fastify takes: false (none: the client is the peer), true (any),
 * or addresses and CIDR ranges. Strings come from the environment
 * (TRUST_PROXY), so "true" and "false" mean what they say.
 */
export function trustProxyOf(value: unknown, fail: Fail): boolean | string {
  if (value === undefined || value === null || value === false || value === '' || value === 'false') return false;
  if (value === true || value === 'true') return true;
  // Fastify 5.12 trusts no proxy at all for a hop count (it cannot tell who added the entries): refused rather than ignored.
  if ((typeof value === 'number' && Number.isInteger(value) && value >= 0) || (typeof value === 'string' && /^\d+$/.test(value))) {
    throw fail(`config/settings.yaml: server.trust_proxy no longer takes a number of proxies (got ${JSON.stringify(value)}): list the proxies' addresses or CIDR ranges instead`);
  }
  if (typeof value === 'string') {
    const entries = value.split(',').map((entry) => entry.trim());
    const bad = entries.find((entry) => !isAddressOrRange(entry));
    if (bad === undefined) return entries.join(',');
    throw fail(`config/settings.yaml: server.trust_proxy entry "${bad}" is not an IP address or CIDR range`);
  }
  throw fail(
    `config/settings.yaml: server.trust_proxy must be false, true or a comma-separated list of addresses/CIDRs (got ${JSON.stringify(value)})`,
  );
}

// proxy-addr's names for the private ranges, as in "loopback, uniquelocal".
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrRange(entry: string): boolean {
  if (RANGE_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function originOf(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

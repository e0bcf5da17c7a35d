import { IngestMode, OnErrorPolicy, ParseWorkerPolicy } from './settings.schema';
import { TableName } from '../common/tables';
import { ApiKeyEntry } from '../auth/api-key';

/** Accepted source header names, per table and canonical column, normalised. */
export type HeaderMappings = Readonly<Record<TableName, Readonly<Record<string, readonly string[]>>>>;

/** The typed, validated configuration every provider receives; nothing else reads process.env. */
export interface AppConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** On SIGTERM, how long in-flight requests and ingestions may take to finish before they are cut off (rolled back). */
    readonly shutdownGraceMs: number;
    /** Whose X-Forwarded-For to believe for the client's address: false (none), true (any), or addresses/CIDRs. */
    readonly trustProxy: boolean | string;
    /** Request line and headers larger than this are refused with 431. */
    readonly maxHeaderBytes: number;
    /** The body limit of JSON requests other than batches (see ingest.maxBatchBytes); 413 past it. */
    readonly bodyLimitBytes: number;
    /** A request's headers must all have arrived within this (408 otherwise). */
    readonly headersTimeoutMs: number;
    /** The whole request, body included, must have arrived within this; 0: no limit (large uploads). */
    readonly requestTimeoutMs: number;
    /** A connection with nothing received or sent for this long during a request is closed (a stalled upload, rolled back); 0: never. */
    readonly idleTimeoutMs: number;
  };
  readonly database: { readonly url: string; readonly migrationsRun: boolean };
  readonly logging: { readonly level: string };
  readonly ingest: {
    readonly defaultMode: IngestMode;
    readonly defaultOnError: OnErrorPolicy;
    readonly maxUploadBytes: number;
    readonly maxRejectsKept: number;
    /** The error budget: past this many rejected rows an ingestion stops and rolls back; null: no budget. */
    readonly maxErrors: number | null;
    readonly chunkRows: number;
    /** Where CSV is parsed; with `auto`, uploads at least parseWorkerMinBytes large on SQLite go to a worker thread. */
    readonly parseWorker: ParseWorkerPolicy;
    readonly parseWorkerMinBytes: number;
    /** Loads running at once on PostgreSQL (SQLite runs one); the others wait, queued. */
    readonly maxConcurrentLoads: number;
    /** How long a completed Idempotency-Key replays its answer. */
    readonly idempotencyKeyRetentionMs: number;
    /** Past this many rows a file stops loading and rolls back (413 too_many_rows). */
    readonly maxRowsPerFile: number;
    /** Ingestions running plus waiting (async ones too); beyond it 429 too_many_ingestions. */
    readonly maxPendingLoads: number;
    /** The Retry-After of that 429. */
    readonly retryAfterSeconds: number;
    /** The body limit of JSON batches. */
    readonly maxBatchBytes: number;
    /** Text fields of a multipart upload, and the bytes of each. */
    readonly maxFields: number;
    readonly maxFieldBytes: number;
  };
  readonly jobs: {
    /** Names this process in the ingestions it runs; unique per instance behind a load balancer. */
    readonly instanceId: string;
    readonly heartbeatMs: number;
    readonly staleAfterMs: number;
    /** Where async uploads are kept until loaded. */
    readonly spoolDir: string;
  };
  readonly backups: {
    /** Where AVRO backup files are written and uploaded backups kept; absolute. Shared by every instance of a deployment. */
    readonly dir: string;
  };
  readonly auth: {
    /** Empty: every request is allowed (see openBecause). */
    readonly keys: readonly ApiKeyEntry[];
    /** Why requests need no key: a development run without keys, or AUTH=none; null when keys are enforced. */
    readonly openBecause: 'development' | 'AUTH=none' | null;
    /** /docs and /docs-json need a read key too. */
    readonly protectDocs: boolean;
  };
  readonly rateLimit: {
    readonly enabled: boolean;
    /** Requests per window per client: its API key (hashed), or its IP without one. */
    readonly max: number;
    /** Writes (POST, PUT, PATCH, DELETE) per window per client, counted apart from reads. */
    readonly writeMax: number;
    readonly windowMs: number;
    /** Counters in Redis, shared by every instance; null: in this process's memory. */
    readonly redisUrl: string | null;
    readonly redisKeyPrefix: string;
  };
  readonly cors: {
    /** Origins allowed to call the API from a browser; empty: CORS off. */
    readonly origins: readonly string[];
  };
  readonly headerMappings: HeaderMappings;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

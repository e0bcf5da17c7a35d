import { IngestMode, OnErrorPolicy, ParseWorkerPolicy } from './settings.schema';
import { TableName } from '../common/tables';

/** Accepted source header names, per table and canonical column, normalised. */
export type HeaderMappings = Readonly<Record<TableName, Readonly<Record<string, readonly string[]>>>>;

/** The typed, validated configuration every provider receives; nothing else reads process.env. */
export interface AppConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** On SIGTERM, how long in-flight requests and ingestions may take to finish before they are cut off (rolled back). */
    readonly shutdownGraceMs: number;
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
  readonly headerMappings: HeaderMappings;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

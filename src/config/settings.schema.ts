import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';

export const INGEST_MODES = ['insert', 'upsert', 'skip'] as const;
export type IngestMode = (typeof INGEST_MODES)[number];
export const ON_ERROR_POLICIES = ['abort', 'skip'] as const;
export type OnErrorPolicy = (typeof ON_ERROR_POLICIES)[number];
/** Where CSV is parsed: `auto` picks a worker thread for large uploads on SQLite (see createCsvRowSource). */
export const PARSE_WORKER_POLICIES = ['auto', 'always', 'never'] as const;
export type ParseWorkerPolicy = (typeof PARSE_WORKER_POLICIES)[number];
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** The shape of config/settings.yaml after environment overrides; validated at start. */
export class ServerSettings {
  @IsString() @IsNotEmpty() host!: string;
  @IsInt() @Min(0) @Max(65535) port!: number;
  @IsInt() @Min(0) @Max(600_000) shutdown_grace_ms!: number;
  // The keys below are optional: a settings.yaml written before they existed still loads, with the defaults (see load-config).
  // false, true, or addresses/CIDRs of the proxies: checked by trustProxyOf (several types).
  @IsOptional() trust_proxy?: boolean | number | string;
  // Node refuses larger request heads with 431; 16 KiB is Node's own default.
  @IsOptional() @IsInt() @Min(1024) @Max(1_048_576) max_header_bytes?: number;
  // JSON bodies other than batches (backup and restore options are a few hundred bytes).
  @IsOptional() @IsInt() @Min(1024) body_limit_bytes?: number;
  @IsOptional() @IsInt() @Min(1000) headers_timeout_ms?: number;
  // 0: none. A 2 GiB upload on a slow link legitimately takes a long time; the idle timeout catches a stalled one.
  @IsOptional() @IsInt() @Min(0) request_timeout_ms?: number;
  @IsOptional() @IsInt() @Min(0) idle_timeout_ms?: number;
}

export class DatabaseSettings {
  @IsString() @IsNotEmpty() url!: string;
  @IsBoolean() migrations_run!: boolean;
}

export class LoggingSettings {
  @IsIn(LOG_LEVELS) level!: (typeof LOG_LEVELS)[number];
}

export class IngestSettings {
  @IsIn(INGEST_MODES) default_mode!: IngestMode;
  @IsIn(ON_ERROR_POLICIES) default_on_error!: OnErrorPolicy;
  @IsInt() @Min(1) max_upload_bytes!: number;
  @IsInt() @Min(0) max_rejects_kept!: number;
  // Empty: no budget. A number: past that many rejected rows an ingestion stops and rolls back.
  @IsOptional() @IsInt() @Min(0) max_errors?: number | null;
  @IsInt() @Min(1) @Max(10000) chunk_rows!: number;
  @IsIn(PARSE_WORKER_POLICIES) parse_worker!: ParseWorkerPolicy;
  @IsInt() @Min(0) parse_worker_min_bytes!: number;
  // Each load holds one of the 10 pooled PostgreSQL connections: leave some for reads and heartbeats.
  @IsInt() @Min(1) @Max(8) max_concurrent_loads!: number;
  // How long an Idempotency-Key is remembered once its request has been answered.
  @IsInt() @Min(1) idempotency_key_retention_hours!: number;
  // Optional like the server limits above. Past this many rows a file stops loading and rolls back (413).
  @IsOptional() @IsInt() @Min(1) max_rows_per_file?: number;
  // Ingestions running plus waiting for a turn (async ones included); beyond it 429 with Retry-After.
  @IsOptional() @IsInt() @Min(1) max_pending_loads?: number;
  @IsOptional() @IsInt() @Min(1) @Max(3600) retry_after_seconds?: number;
  @IsOptional() @IsInt() @Min(1024) max_batch_bytes?: number;
  // Text fields (options) of a multipart upload, and the bytes of each.
  @IsOptional() @IsInt() @Min(1) @Max(1000) max_fields?: number;
  @IsOptional() @IsInt() @Min(64) max_field_bytes?: number;
}

/** Background ingestions (async=true) and the heartbeat every running ingestion keeps. */
export class JobsSettings {
  @IsOptional() @IsString() instance_id?: string;
  @IsInt() @Min(50) @Max(60_000) heartbeat_ms!: number;
  @IsInt() @Min(1000) stale_after_ms!: number;
  @IsOptional() @IsString() spool_dir?: string;
}

/** API keys (see src/auth): where they come from besides API_KEYS, and whether /docs needs one. */
export class AuthSettings {
  @IsOptional() @IsString() keys_file?: string;
  @IsOptional() @IsBoolean() protect_docs?: boolean;
}

/** Requests per client (API key, or IP without one) and window; counters in Redis when redis_url is set. */
export class RateLimitSettings {
  @IsOptional() @IsBoolean() enabled?: boolean;
  @IsOptional() @IsInt() @Min(1) max?: number;
  // Writes (POST, PUT, PATCH, DELETE) are counted apart, against this lower limit.
  @IsOptional() @IsInt() @Min(1) write_max?: number;
  @IsOptional() @IsInt() @Min(1000) window_ms?: number;
  @IsOptional() @IsString() redis_url?: string;
  @IsOptional() @IsString() @IsNotEmpty() redis_key_prefix?: string;
}

/** Cross-origin access: off unless origins are listed. */
export class CorsSettings {
  @IsOptional() @IsArray() @IsString({ each: true }) origins?: string[];
}

/** AVRO backups of the data tables (see src/backups). */
export class BackupsSettings {
  @IsOptional() @IsString() dir?: string;
}

export class Settings {
  @IsDefined() @ValidateNested() @Type(() => ServerSettings) server!: ServerSettings;
  @IsDefined() @ValidateNested() @Type(() => DatabaseSettings) database!: DatabaseSettings;
  @IsDefined() @ValidateNested() @Type(() => LoggingSettings) logging!: LoggingSettings;
  @IsDefined() @ValidateNested() @Type(() => IngestSettings) ingest!: IngestSettings;
  @IsDefined() @ValidateNested() @Type(() => JobsSettings) jobs!: JobsSettings;
  // Optional: a config dir written before backups existed still loads, with the default folder.
  @IsOptional() @ValidateNested() @Type(() => BackupsSettings) backups?: BackupsSettings;
  @IsOptional() @ValidateNested() @Type(() => AuthSettings) auth?: AuthSettings;
  @IsOptional() @ValidateNested() @Type(() => RateLimitSettings) rate_limit?: RateLimitSettings;
  @IsOptional() @ValidateNested() @Type(() => CorsSettings) cors?: CorsSettings;
}

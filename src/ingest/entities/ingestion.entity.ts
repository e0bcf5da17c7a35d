import { Column, Entity, PrimaryGeneratedColumn, ValueTransformer } from 'typeorm';
import { instantTransformer } from '../../database/instant.transformer';

export const INGESTION_STATUSES = ['queued', 'running', 'succeeded', 'succeeded_with_rejects', 'failed', 'interrupted'] as const;
export type IngestionStatus = (typeof INGESTION_STATUSES)[number];
/** Statuses of an ingestion that has not ended: it has an instance that must keep its heartbeat fresh. */
export const UNFINISHED_STATUSES: readonly IngestionStatus[] = ['queued', 'running'];

/** bigint comes back from PostgreSQL as a string; byte counts fit a JS number. */
const bigintAsNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

/** A JSON document kept in a text column. */
const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value)),
  from: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : null),
};

/** Why an ingestion failed, as the synchronous response would have said it. */
export interface IngestionFailure {
  readonly status: number;
  readonly code: string;
  readonly line?: number;
  readonly column?: string;
}

/** One row per CSV upload or JSON batch: the audit trail. */
@Entity({ name: 'ingestions' })
export class Ingestion {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'table_name', type: 'varchar', length: 32 })
  tableName!: string;

  @Column({ type: 'varchar', length: 255 })
  source!: string;

  @Column({ name: 'source_kind', type: 'varchar', length: 8 })
  sourceKind!: 'csv' | 'batch';

  @Column({ type: 'varchar', length: 8 })
  mode!: string;

  @Column({ name: 'on_error', type: 'varchar', length: 8 })
  onError!: string;

  @Column({ type: 'varchar', length: 32 })
  status!: IngestionStatus;

  @Column({ name: 'started_at', type: 'varchar', transformer: instantTransformer })
  startedAt!: string;

  @Column({ name: 'finished_at', type: 'varchar', nullable: true, transformer: instantTransformer })
  finishedAt!: string | null;

  @Column({ name: 'rows_read', type: 'integer', default: 0 })
  rowsRead!: number;

  @Column({ type: 'integer', default: 0 })
  inserted!: number;

  @Column({ type: 'integer', default: 0 })
  updated!: number;

  @Column({ type: 'integer', default: 0 })
  unchanged!: number;

  @Column({ type: 'integer', default: 0 })
  skipped!: number;

  /** Rows whose id an earlier row of the same upload had. */
  @Column({ name: 'duplicate_in_file', type: 'integer', default: 0 })
  duplicateInFile!: number;

  @Column({ type: 'integer', default: 0 })
  rejected!: number;

  /** Why the ingestion failed, when it did. */
  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  /** The name of the API key that sent it; null when authentication was off. */
  @Column({ name: 'api_key_name', type: 'varchar', length: 64, nullable: true })
  apiKeyName!: string | null;

  /** SHA-256 (hex) of the bytes read: the file as uploaded, or a batch's rows as compact JSON. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256!: string | null;

  /** The CSV file's header line as written, when it had one: the first line of its rejects file. */
  @Column({ name: 'header_line', type: 'text', nullable: true })
  headerLine!: string | null;

  /** The latest earlier ingestion that loaded the same bytes into the same table, if any. */
  @Column({ name: 'duplicate_of', type: 'integer', nullable: true })
  duplicateOf!: number | null;

  /** Checked and written inside a transaction that was rolled back: the counts say what a real run would do. */
  @Column({ name: 'dry_run', type: 'boolean', default: false })
  dryRun!: boolean;

  /** Accepted with async=true: the client got 202 and polls. */
  @Column({ name: 'is_async', type: 'boolean', default: false })
  isAsync!: boolean;

  /** The service instance that runs (or ran) the ingestion. */
  @Column({ name: 'instance_id', type: 'varchar', length: 128, nullable: true })
  instanceId!: string | null;

  /** Refreshed while the ingestion runs; a stale one means its instance is gone. */
  @Column({ name: 'heartbeat_at', type: 'varchar', nullable: true, transformer: instantTransformer })
  heartbeatAt!: string | null;

  @Column({ name: 'bytes_read', type: 'bigint', default: 0, transformer: bigintAsNumber })
  bytesRead!: number;

  /** The size of the upload when known before reading it (async uploads). */
  @Column({ name: 'bytes_total', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  bytesTotal!: number | null;

  /** Rows handed to the database so far (committed only when the ingestion succeeds). */
  @Column({ name: 'rows_written', type: 'integer', default: 0 })
  rowsWritten!: number;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  detected!: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  timings!: Record<string, number> | null;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  failure!: IngestionFailure | null;
}

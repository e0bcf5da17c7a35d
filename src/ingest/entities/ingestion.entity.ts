import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { instantTransformer } from '../../database/instant.transformer';

export const INGESTION_STATUSES = ['running', 'succeeded', 'succeeded_with_rejects', 'failed'] as const;
export type IngestionStatus = (typeof INGESTION_STATUSES)[number];

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
  skipped!: number;

  @Column({ type: 'integer', default: 0 })
  rejected!: number;

  /** Why the ingestion failed, when it did. */
  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;
}

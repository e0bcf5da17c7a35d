import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A rejected row of an ingestion, kept up to ingest.max_rejects_kept. */
@Entity({ name: 'ingestion_rejects' })
export class IngestionReject {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'ingestion_id', type: 'integer' })
  ingestionId!: number;

  /** CSV: the physical line the row starts on (1-based). JSON batch: the row index (0-based). */
  @Column({ type: 'integer' })
  line!: number;

  @Column({ name: 'column_name', type: 'varchar', length: 64, nullable: true })
  column!: string | null;

  @Column({ type: 'text', nullable: true })
  value!: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'text' })
  message!: string;

  /**
   * The row as read, as JSON: a CSV record's text as in the file (a JSON
   * string), a batch row's object; ingestions from before 0.1 kept a CSV
   * row's cells (a JSON array).
   */
  @Column({ type: 'text', nullable: true })
  record!: string | null;
}

import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * What an ingestion that runs as a background job needs: who runs it and when
 * it was last alive (so another instance can tell a dead job from a slow one),
 * its progress, and the report that a synchronous upload returns in its
 * response (detected dialect, stage timings, the failure).
 */
export class IngestionJobs1764100000000 implements MigrationInterface {
  name = 'IngestionJobs1764100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const instant = queryRunner.dataSource.options.type === 'postgres' ? 'timestamptz' : 'varchar';
    await queryRunner.addColumns('ingestions', [
      new TableColumn({ name: 'is_async', type: 'boolean', default: false }),
      new TableColumn({ name: 'instance_id', type: 'varchar', length: '128', isNullable: true }),
      new TableColumn({ name: 'heartbeat_at', type: instant, isNullable: true }),
      new TableColumn({ name: 'bytes_read', type: 'bigint', default: 0 }),
      new TableColumn({ name: 'bytes_total', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'rows_written', type: 'integer', default: 0 }),
      new TableColumn({ name: 'detected', type: 'text', isNullable: true }),
      new TableColumn({ name: 'timings', type: 'text', isNullable: true }),
      new TableColumn({ name: 'failure', type: 'text', isNullable: true }),
    ]);
    // The stale-job sweep looks only at unfinished ingestions.
    await queryRunner.createIndex('ingestions', new TableIndex({ name: 'idx_ingestions_status_heartbeat', columnNames: ['status', 'heartbeat_at'] }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('ingestions', 'idx_ingestions_status_heartbeat');
    // Plain DROP COLUMN (SQLite ≥ 3.35): TypeORM's SQLite fallback rebuilds the
    // table, and dropping the old one would cascade-delete ingestion_rejects.
    for (const column of ['failure', 'timings', 'detected', 'rows_written', 'bytes_total', 'bytes_read', 'heartbeat_at', 'instance_id', 'is_async']) {
      await queryRunner.query(`ALTER TABLE ingestions DROP COLUMN ${column}`);
    }
  }
}

import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** A dry run is recorded like any ingestion, marked so: it wrote no rows. */
export class IngestionDryRun1764200000000 implements MigrationInterface {
  name = 'IngestionDryRun1764200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('ingestions', new TableColumn({ name: 'dry_run', type: 'boolean', default: false }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Plain DROP COLUMN: TypeORM's SQLite fallback rebuilds the table and would cascade-delete ingestion_rejects.
    await queryRunner.query('ALTER TABLE ingestions DROP COLUMN dry_run');
  }
}

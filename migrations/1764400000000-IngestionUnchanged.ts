import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Upserted rows identical to the stored ones, counted apart from the rows an upsert changed. */
export class IngestionUnchanged1764400000000 implements MigrationInterface {
  name = 'IngestionUnchanged1764400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('ingestions', new TableColumn({ name: 'unchanged', type: 'integer', default: 0 }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Plain DROP COLUMN: TypeORM's SQLite fallback rebuilds the table and would cascade-delete ingestion_rejects.
    await queryRunner.query('ALTER TABLE ingestions DROP COLUMN unchanged');
  }
}

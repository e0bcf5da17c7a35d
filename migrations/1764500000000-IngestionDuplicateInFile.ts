import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Rows whose id an earlier row of the same upload had, counted apart from what the first one did. */
export class IngestionDuplicateInFile1764500000000 implements MigrationInterface {
  name = 'IngestionDuplicateInFile1764500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('ingestions', new TableColumn({ name: 'duplicate_in_file', type: 'integer', default: 0 }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Plain DROP COLUMN: TypeORM's SQLite fallback rebuilds the table and would cascade-delete ingestion_rejects.
    await queryRunner.query('ALTER TABLE ingestions DROP COLUMN duplicate_in_file');
  }
}

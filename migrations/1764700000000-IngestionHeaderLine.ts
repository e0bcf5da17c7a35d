import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** The header line of a CSV upload as written: the rejects file starts with it, so a fixed file uploads as the original did. */
export class IngestionHeaderLine1764700000000 implements MigrationInterface {
  name = 'IngestionHeaderLine1764700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('ingestions', new TableColumn({ name: 'header_line', type: 'text', isNullable: true }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Plain DROP COLUMN: TypeORM's SQLite fallback rebuilds the table and would cascade-delete ingestion_rejects.
    await queryRunner.query('ALTER TABLE ingestions DROP COLUMN header_line');
  }
}

import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/** The SHA-256 of what each ingestion read, and the earlier load of the same bytes into the same table. */
export class IngestionFileHash1764300000000 implements MigrationInterface {
  name = 'IngestionFileHash1764300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('ingestions', [
      new TableColumn({ name: 'sha256', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'duplicate_of', type: 'integer', isNullable: true }),
    ]);
    // "Was this file loaded before?" is asked at the end of every ingestion.
    await queryRunner.createIndex('ingestions', new TableIndex({ name: 'idx_ingestions_table_sha256', columnNames: ['table_name', 'sha256'] }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('ingestions', 'idx_ingestions_table_sha256');
    // Plain DROP COLUMN: TypeORM's SQLite fallback rebuilds the table and would cascade-delete ingestion_rejects.
    for (const column of ['duplicate_of', 'sha256']) await queryRunner.query(`ALTER TABLE ingestions DROP COLUMN ${column}`);
  }
}

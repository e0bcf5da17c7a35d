import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Which API key sent each ingestion (its configured name, never the key). */
export class IngestionApiKey1764900000000 implements MigrationInterface {
  name = 'IngestionApiKey1764900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('ingestions', new TableColumn({ name: 'api_key_name', type: 'varchar', length: '64', isNullable: true }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Plain DROP COLUMN: TypeORM's SQLite fallback rebuilds the table and would cascade-delete ingestion_rejects.
    await queryRunner.query('ALTER TABLE ingestions DROP COLUMN api_key_name');
  }
}

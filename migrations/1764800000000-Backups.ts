import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

/**
 * AVRO backups of the data tables: one row per backup (taken here or
 * uploaded), one per file it holds. The files themselves live under
 * backups.dir, named after the backup (id and file key) and the table, never
 * after anything a client sent.
 */
export class Backups1764800000000 implements MigrationInterface {
  name = 'Backups1764800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const instant = queryRunner.dataSource.options.type === 'postgres' ? 'timestamptz' : 'varchar';
    await queryRunner.createTable(
      new Table({
        name: 'backups',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'status', type: 'varchar', length: '16', isNullable: false },
          { name: 'origin', type: 'varchar', length: '16', isNullable: false },
          // Random, in the backup's file names: two databases sharing a folder (or a database replaced under a kept folder) never collide.
          { name: 'file_key', type: 'varchar', length: '16', isNullable: false },
          // The database the rows were read from; null for an uploaded backup.
          { name: 'database_kind', type: 'varchar', length: '16', isNullable: true },
          { name: 'created_at', type: instant, isNullable: false },
          { name: 'finished_at', type: instant, isNullable: true },
          { name: 'detail', type: 'text', isNullable: true },
          { name: 'request_id', type: 'varchar', length: '64', isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'backup_files',
        columns: [
          { name: 'backup_id', type: 'integer', isPrimary: true },
          { name: 'table_name', type: 'varchar', length: '32', isPrimary: true },
          { name: 'row_count', type: 'integer', isNullable: false },
          { name: 'byte_count', type: 'bigint', isNullable: false },
          { name: 'sha256', type: 'varchar', length: '64', isNullable: false },
          { name: 'file_name', type: 'varchar', length: '255', isNullable: false },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_backup_files_backup',
            columnNames: ['backup_id'],
            referencedTableName: 'backups',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('backup_files');
    await queryRunner.dropTable('backups');
  }
}

import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * departments, jobs, employees and the ingestion audit trail, written with the
 * QueryRunner API so the same history runs on SQLite and PostgreSQL.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Instants: timestamptz on PostgreSQL; on SQLite, fixed-width ISO 8601 UTC
    // text, whose text order is time order, so range predicates use the index.
    const instant = queryRunner.dataSource.options.type === 'postgres' ? 'timestamptz' : 'varchar';

    await queryRunner.createTable(
      new Table({
        name: 'departments',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'name', type: 'varchar', length: '255', isNullable: false, isUnique: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'jobs',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'title', type: 'varchar', length: '255', isNullable: false, isUnique: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'employees',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'name', type: 'varchar', length: '255', isNullable: false },
          { name: 'hire_date', type: instant, isNullable: false },
          { name: 'department_id', type: 'integer', isNullable: false },
          { name: 'job_id', type: 'integer', isNullable: false },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_employees_department',
            columnNames: ['department_id'],
            referencedTableName: 'departments',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
          new TableForeignKey({
            name: 'fk_employees_job',
            columnNames: ['job_id'],
            referencedTableName: 'jobs',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
        ],
      }),
    );
    // One covering index serves the analytics (a hire_date range, grouped by
    // department and job) without a second index to maintain on every load.
    await queryRunner.createIndex(
      'employees',
      new TableIndex({ name: 'idx_employees_hire_date', columnNames: ['hire_date', 'department_id', 'job_id'] }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'ingestions',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'table_name', type: 'varchar', length: '32', isNullable: false },
          { name: 'source', type: 'varchar', length: '255', isNullable: false },
          { name: 'source_kind', type: 'varchar', length: '8', isNullable: false },
          { name: 'mode', type: 'varchar', length: '8', isNullable: false },
          { name: 'on_error', type: 'varchar', length: '8', isNullable: false },
          { name: 'status', type: 'varchar', length: '32', isNullable: false },
          { name: 'started_at', type: instant, isNullable: false },
          { name: 'finished_at', type: instant, isNullable: true },
          { name: 'rows_read', type: 'integer', default: 0 },
          { name: 'inserted', type: 'integer', default: 0 },
          { name: 'updated', type: 'integer', default: 0 },
          { name: 'skipped', type: 'integer', default: 0 },
          { name: 'rejected', type: 'integer', default: 0 },
          { name: 'detail', type: 'text', isNullable: true },
          { name: 'request_id', type: 'varchar', length: '64', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex(
      'ingestions',
      new TableIndex({ name: 'idx_ingestions_table_started', columnNames: ['table_name', 'started_at'] }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'ingestion_rejects',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'ingestion_id', type: 'integer', isNullable: false },
          { name: 'line', type: 'integer', isNullable: false },
          { name: 'column_name', type: 'varchar', length: '64', isNullable: true },
          { name: 'value', type: 'text', isNullable: true },
          { name: 'error_code', type: 'varchar', length: '32', isNullable: false },
          { name: 'message', type: 'text', isNullable: false },
          { name: 'record', type: 'text', isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_ingestion_rejects_ingestion',
            columnNames: ['ingestion_id'],
            referencedTableName: 'ingestions',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createIndex(
      'ingestion_rejects',
      new TableIndex({ name: 'idx_ingestion_rejects_ingestion', columnNames: ['ingestion_id', 'line'] }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('ingestion_rejects');
    await queryRunner.dropTable('ingestions');
    await queryRunner.dropTable('employees');
    await queryRunner.dropTable('jobs');
    await queryRunner.dropTable('departments');
  }
}

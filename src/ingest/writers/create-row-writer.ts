import { QueryRunner } from 'typeorm';
import { TableName } from '../../common/tables';
import { PostgresCopyWriter } from './postgres-copy-writer';
import { RowWriter } from './row-writer';
import { SqliteStatementWriter } from './sqlite-statement-writer';

/** COPY on PostgreSQL, prepared statements on SQLite. */
export async function createRowWriter(queryRunner: QueryRunner, table: TableName): Promise<RowWriter> {
  return queryRunner.dataSource.options.type === 'postgres'
    ? PostgresCopyWriter.open(queryRunner, table)
    : new SqliteStatementWriter(queryRunner, table);
}

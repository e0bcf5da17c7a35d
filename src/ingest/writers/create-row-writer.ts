import { QueryRunner } from 'typeorm';
import { TableName } from '../../common/tables';
import { PostgresCopyWriter } from './postgres-copy-writer';
import { RowWriter } from './row-writer';
import { SqlRowWriter } from './sql-row-writer';

/** COPY on PostgreSQL, multi-row statements elsewhere. */
export async function createRowWriter(queryRunner: QueryRunner, table: TableName): Promise<RowWriter> {
  return queryRunner.connection.options.type === 'postgres'
    ? PostgresCopyWriter.open(queryRunner, table)
    : new SqlRowWriter(queryRunner, table);
}

import { Injectable } from '@nestjs/common';
import { QueryRunner } from 'typeorm';
import { TABLE_SPECS, TableName, columnNames } from '../common/tables';
import { SqlParams } from '../database/sql-params';

/**
 * The SQL a backup and a restore run on the data tables themselves, always
 * inside their transaction. Table and column names come from TABLE_SPECS,
 * never from a request. Restores check and write rows with the ingest
 * pipeline's lookups and writers.
 */
@Injectable()
export class BackupRowsRepository {
  /**
   * Every row of `table` in id order, `pageRows` at a time by keyset (WHERE
   * id > last ORDER BY id): each page is an index range scan, however deep,
   * and only one page is in memory.
   */
  async *rows(queryRunner: QueryRunner, table: TableName, pageRows: number): AsyncGenerator<Record<string, unknown>> {
    const columns = columnNames(TABLE_SPECS[table]).join(', ');
    let after = 0;
    for (;;) {
      const params = this.params(queryRunner);
      const page: Record<string, unknown>[] = await queryRunner.query(
        `SELECT ${columns} FROM ${table} WHERE id > ${params.add(after)} ORDER BY id LIMIT ${params.add(pageRows)}`,
        params.values,
      );
      yield* page;
      if (page.length < pageRows) return;
      after = Number(page[page.length - 1].id);
    }
  }

  /** Deletes every row of the table; answers how many there were. */
  async deleteAll(queryRunner: QueryRunner, table: TableName): Promise<number> {
    const result = await queryRunner.query(`DELETE FROM ${table}`, [], true);
    return Number(result.affected ?? 0);
  }

  async hasRows(queryRunner: QueryRunner, table: TableName): Promise<boolean> {
    const rows: unknown[] = await queryRunner.query(`SELECT 1 AS found FROM ${table} LIMIT 1`);
    return rows.length > 0;
  }

  /**
   * PostgreSQL: holds off other writers of the restored tables until the
   * restore commits (readers go on), so no load slips its rows between the
   * restore's checks and its writes. SQLite needs nothing: the restore runs
   * exclusive on the one connection.
   */
  async lockForRestore(queryRunner: QueryRunner, tables: readonly TableName[]): Promise<void> {
    if (queryRunner.dataSource.options.type !== 'postgres' || tables.length === 0) return;
    await queryRunner.query(`LOCK TABLE ${tables.join(', ')} IN SHARE ROW EXCLUSIVE MODE`);
  }

  /** PostgreSQL, first in a transaction: every later read sees the one snapshot taken at the first of them. */
  async readOneSnapshot(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  }

  private params(queryRunner: QueryRunner): SqlParams {
    return new SqlParams(queryRunner.dataSource.options.type === 'postgres');
  }
}

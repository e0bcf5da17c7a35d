import type { Database, Statement } from 'better-sqlite3';
import { QueryRunner } from 'typeorm';
import { TABLE_SPECS, TableName, columnNames, upsertAssignments } from '../../common/tables';
import { CheckedRow } from '../pipeline/pipeline.types';
import { RowWriter } from './row-writer';

/**
 * Prepared statements on better-sqlite3, run synchronously row by row on the
 * one connection, inside the transaction the query runner opened (SQLite
 * has one connection, so this is the same transaction).
 */
export class SqliteStatementWriter implements RowWriter {
  readonly countsUpserts = false;
  private readonly insertRow: Statement;
  private readonly upsertRow: Statement;
  private unchanged = 0;

  constructor(queryRunner: QueryRunner, table: TableName) {
    const database = (queryRunner.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
    const columns = columnNames(TABLE_SPECS[table]);
    const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    this.insertRow = database.prepare(insert);
    // A row identical to the stored one is not rewritten (no change, no index update): `changes` is then 0.
    this.upsertRow = database.prepare(
      `${insert} ON CONFLICT (id) DO UPDATE SET ${upsertAssignments(TABLE_SPECS[table])} ` +
        `WHERE (${columnsOf(table, table)}) IS NOT (${columnsOf(table, 'excluded')})`,
    );
  }

  async insert(rows: readonly CheckedRow[]): Promise<void> {
    for (const row of rows) this.insertRow.run(row.values);
  }

  async upsert(rows: readonly CheckedRow[]): Promise<void> {
    for (const row of rows) {
      // A repeat's `changes` compares it with the row of this upload it replaces: not a count of its own.
      if (this.upsertRow.run(row.values).changes === 0 && !row.repeat) this.unchanged++;
    }
  }

  async finish(): Promise<void> {
    // Every statement ran synchronously.
  }

  async settle(): Promise<void> {
    // Nothing is ever pending.
  }

  async abort(): Promise<unknown> {
    return null; // every statement ran, and threw, synchronously
  }

  upsertCounts(): { inserted: number; updated: number; unchanged: number } {
    return { inserted: 0, updated: 0, unchanged: this.unchanged };
  }
}

/** `alias.column, …` over the table's columns but the id: the values an upsert would replace. */
function columnsOf(table: TableName, alias: string): string {
  return columnNames(TABLE_SPECS[table])
    .filter((name) => name !== 'id')
    .map((name) => `${alias}.${name}`)
    .join(', ');
}

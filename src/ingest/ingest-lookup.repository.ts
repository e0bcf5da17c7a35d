import { Injectable } from '@nestjs/common';
import { QueryRunner } from 'typeorm';
import { TableName } from '../common/tables';
import { MAX_PARAMS_PER_STATEMENT, SqlParams } from '../database/sql-params';

/**
 * The set-based lookups of the ingest pipeline: one query per chunk and
 * table, never one per row, always inside the ingestion's transaction. Table
 * and column names come from TABLE_SPECS, never from a request. Writes are in
 * writers/.
 */
@Injectable()
export class IngestLookupRepository {
  async existingIds(queryRunner: QueryRunner, table: TableName, ids: readonly number[]): Promise<Set<number>> {
    const found = new Set<number>();
    if (ids.length === 0) return found;
    if (queryRunner.dataSource.options.type === 'postgres') {
      // One array parameter: no statement text that grows with the chunk.
      const rows: { id: number }[] = await queryRunner.query(`SELECT id FROM ${table} WHERE id = ANY($1::int[])`, [ids]);
      for (const row of rows) found.add(Number(row.id));
      return found;
    }
    const rows = await selectIn<{ id: number }>(queryRunner, ids, (list) => `SELECT id FROM ${table} WHERE id IN (${list})`);
    for (const row of rows) found.add(Number(row.id));
    return found;
  }

  /** Current holders of unique values (e.g. department names): value → id. */
  async uniqueHolders(
    queryRunner: QueryRunner,
    table: TableName,
    column: string,
    values: readonly string[],
  ): Promise<Map<string, number>> {
    const rows = await selectIn<{ id: number; value: string }>(
      queryRunner,
      values,
      (list) => `SELECT id, ${column} AS value FROM ${table} WHERE ${column} IN (${list})`,
    );
    return new Map(rows.map((row) => [row.value, Number(row.id)]));
  }

  /** The highest id in the table: every id above it is new. */
  async maxId(queryRunner: QueryRunner, table: TableName): Promise<number> {
    const [row] = await queryRunner.query(`SELECT MAX(id) AS max FROM ${table}`);
    return row?.max === null || row?.max === undefined ? 0 : Number(row.max);
  }
}

/** Runs `sql` over `values` as an IN list, split into statements each under the parameter limit. */
async function selectIn<Row>(queryRunner: QueryRunner, values: readonly unknown[], sql: (list: string) => string): Promise<Row[]> {
  const postgres = queryRunner.dataSource.options.type === 'postgres';
  const rows: Row[] = [];
  for (let at = 0; at < values.length; at += MAX_PARAMS_PER_STATEMENT) {
    const params = new SqlParams(postgres);
    const list = values.slice(at, at + MAX_PARAMS_PER_STATEMENT).map((value) => params.add(value)).join(', ');
    rows.push(...((await queryRunner.query(sql(list), params.values)) as Row[]));
  }
  return rows;
}

import { Injectable } from '@nestjs/common';
import { QueryRunner } from 'typeorm';
import { TableName } from '../common/tables';
import { MAX_PARAMS_PER_STATEMENT, placeholders } from '../database/sql-params';

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
    if (queryRunner.connection.options.type === 'postgres') {
      // One array parameter: no statement text that grows with the chunk.
      const rows: { id: number }[] = await queryRunner.query(`SELECT id FROM ${table} WHERE id = ANY($1::int[])`, [ids]);
      for (const row of rows) found.add(Number(row.id));
      return found;
    }
    for (const slice of slices(ids, MAX_PARAMS_PER_STATEMENT)) {
      const marks = placeholders(queryRunner, slice.length).join(', ');
      const rows: { id: number }[] = await queryRunner.query(`SELECT id FROM ${table} WHERE id IN (${marks})`, slice);
      for (const row of rows) found.add(Number(row.id));
    }
    return found;
  }

  /** Current holders of unique values (e.g. department names): value → id. */
  async uniqueHolders(
    queryRunner: QueryRunner,
    table: TableName,
    column: string,
    values: readonly string[],
  ): Promise<Map<string, number>> {
    const holders = new Map<string, number>();
    for (const slice of slices(values, MAX_PARAMS_PER_STATEMENT)) {
      const marks = placeholders(queryRunner, slice.length).join(', ');
      const rows: { id: number; value: string }[] = await queryRunner.query(
        `SELECT id, ${column} AS value FROM ${table} WHERE ${column} IN (${marks})`,
        slice,
      );
      for (const row of rows) holders.set(row.value, Number(row.id));
    }
    return holders;
  }

  /** The highest id in the table: every id above it is new. */
  async maxId(queryRunner: QueryRunner, table: TableName): Promise<number> {
    const [row] = await queryRunner.query(`SELECT MAX(id) AS max FROM ${table}`);
    return row?.max === null || row?.max === undefined ? 0 : Number(row.max);
  }
}

function slices<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let at = 0; at < items.length; at += size) result.push(items.slice(at, at + size));
  return result;
}

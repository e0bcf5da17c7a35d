import { Injectable } from '@nestjs/common';
import { QueryRunner } from 'typeorm';
import { TableName, TABLE_SPECS } from '../common/tables';
import { MAX_PARAMS_PER_STATEMENT, placeholders } from '../database/sql-params';
import { CheckedRow } from './pipeline/pipeline.types';

/**
 * The set-based SQL of the ingest pipeline: one query per chunk and table,
 * never one per row, always inside the ingestion's transaction. Table and
 * column names come from TABLE_SPECS, never from a request.
 */
@Injectable()
export class IngestWriteRepository {
  async existingIds(queryRunner: QueryRunner, table: TableName, ids: readonly number[]): Promise<Set<number>> {
    const found = new Set<number>();
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

  /** Plain INSERT of rows known to be new. */
  async insert(queryRunner: QueryRunner, table: TableName, rows: readonly CheckedRow[]): Promise<void> {
    await this.write(queryRunner, table, rows, '');
  }

  /** INSERT … ON CONFLICT (id) DO UPDATE: new rows are inserted, existing ones replaced. */
  async upsert(queryRunner: QueryRunner, table: TableName, rows: readonly CheckedRow[]): Promise<void> {
    const updates = TABLE_SPECS[table].columns
      .filter((c) => c.name !== 'id')
      .map((c) => `${c.name} = excluded.${c.name}`)
      .join(', ');
    await this.write(queryRunner, table, rows, ` ON CONFLICT (id) DO UPDATE SET ${updates}`);
  }

  private async write(queryRunner: QueryRunner, table: TableName, rows: readonly CheckedRow[], suffix: string): Promise<void> {
    const columns = TABLE_SPECS[table].columns.map((c) => c.name);
    const rowsPerStatement = Math.floor(MAX_PARAMS_PER_STATEMENT / columns.length);
    for (const slice of slices(rows, rowsPerStatement)) {
      const marks = placeholders(queryRunner, slice.length * columns.length);
      const tuples = slice.map((_, r) => `(${marks.slice(r * columns.length, (r + 1) * columns.length).join(', ')})`);
      await queryRunner.query(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}${suffix}`,
        slice.flatMap((row) => row.values),
      );
    }
  }
}

function slices<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let at = 0; at < items.length; at += size) result.push(items.slice(at, at + size));
  return result;
}

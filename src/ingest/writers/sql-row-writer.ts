import { QueryRunner } from 'typeorm';
import { TABLE_SPECS, TableName } from '../../common/tables';
import { MAX_PARAMS_PER_STATEMENT, placeholders } from '../../database/sql-params';
import { CheckedRow } from '../pipeline/pipeline.types';
import { RowWriter } from './row-writer';

/** Multi-row INSERT statements (… ON CONFLICT (id) DO UPDATE for upserts); used on SQLite. */
export class SqlRowWriter implements RowWriter {
  private readonly columns: string[];
  private readonly upsertSuffix: string;

  constructor(
    private readonly queryRunner: QueryRunner,
    private readonly table: TableName,
  ) {
    this.columns = TABLE_SPECS[table].columns.map((c) => c.name);
    const updates = this.columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`);
    this.upsertSuffix = ` ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}`;
  }

  insert(rows: readonly CheckedRow[]): Promise<void> {
    return this.write(rows, '');
  }

  upsert(rows: readonly CheckedRow[]): Promise<void> {
    return this.write(rows, this.upsertSuffix);
  }

  readonly countsUpserts = false;

  async finish(): Promise<void> {
    // Every write was awaited.
  }

  upsertCounts(): { inserted: number; updated: number } {
    return { inserted: 0, updated: 0 };
  }

  private async write(rows: readonly CheckedRow[], suffix: string): Promise<void> {
    const width = this.columns.length;
    const rowsPerStatement = Math.floor(MAX_PARAMS_PER_STATEMENT / width);
    for (let at = 0; at < rows.length; at += rowsPerStatement) {
      const slice = rows.slice(at, at + rowsPerStatement);
      const marks = placeholders(this.queryRunner, slice.length * width);
      const tuples = slice.map((_, r) => `(${marks.slice(r * width, (r + 1) * width).join(', ')})`);
      await this.queryRunner.query(
        `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${tuples.join(', ')}${suffix}`,
        slice.flatMap((row) => row.values),
      );
    }
  }
}

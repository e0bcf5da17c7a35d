import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { QueryRunner } from 'typeorm';
import { TABLE_SPECS, TableName } from '../../common/tables';
import { CheckedRow } from '../pipeline/pipeline.types';
import { RowWriter } from './row-writer';

const MAX_STATEMENTS_IN_FLIGHT = 2;

/**
 * COPY on PostgreSQL: each chunk streams into the table (insert) or into a
 * temporary staging table merged with INSERT … ON CONFLICT (upsert).
 * Statements are issued on the transaction's own connection, which runs them
 * in order, and are not awaited: the next chunk is parsed and checked while
 * PostgreSQL writes this one, and the pipeline's next lookup, queued behind
 * the write, sees its rows.
 */
export class PostgresCopyWriter implements RowWriter {
  private readonly columns: string;
  private readonly stage: string;
  private readonly merge: string;
  /** Statements issued and not yet done, oldest first (the connection completes them in order). */
  private inFlight: Promise<void>[] = [];
  private failure: unknown = null;
  private staged = false;
  private readonly counts = { inserted: 0, updated: 0 };
  readonly countsUpserts = true;

  private constructor(
    private readonly client: PoolClient,
    private readonly table: TableName,
  ) {
    const names = TABLE_SPECS[table].columns.map((c) => c.name);
    this.columns = names.join(', ');
    this.stage = `ingest_stage_${table}`;
    const updates = names.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`);
    // xmax is 0 on a freshly inserted row version and set on an updated one.
    this.merge =
      `WITH staged AS (DELETE FROM ${this.stage} RETURNING ${this.columns}), ` +
      `merged AS (INSERT INTO ${table} (${this.columns}) SELECT ${this.columns} FROM staged ` +
      `ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')} RETURNING (xmax = 0) AS inserted) ` +
      'SELECT COUNT(*) FILTER (WHERE inserted) AS inserted, COUNT(*) FILTER (WHERE NOT inserted) AS updated FROM merged';
  }

  static async open(queryRunner: QueryRunner, table: TableName): Promise<PostgresCopyWriter> {
    return new PostgresCopyWriter((await queryRunner.connect()) as PoolClient, table);
  }

  async insert(rows: readonly CheckedRow[]): Promise<void> {
    this.issue(this.copy(this.table, rows));
    await this.backpressure();
  }

  async upsert(rows: readonly CheckedRow[]): Promise<void> {
    if (!this.staged) {
      this.staged = true;
      this.issue(this.query(`CREATE TEMP TABLE IF NOT EXISTS ${this.stage} (LIKE ${this.table}) ON COMMIT DROP`));
    }
    this.issue(this.copy(this.stage, rows));
    this.issue(this.mergeStaged());
    await this.backpressure();
  }

  upsertCounts(): { inserted: number; updated: number } {
    return { ...this.counts };
  }

  async finish(): Promise<void> {
    await Promise.all(this.inFlight);
    this.inFlight = [];
    if (this.failure) throw this.failure;
  }

  /** Keeps the first failure: later statements fail only because the transaction is then aborted. */
  private issue(statement: Promise<void>): void {
    this.inFlight.push(
      statement.catch((error: unknown) => {
        this.failure ??= error;
      }),
    );
  }

  /**
   * One chunk may be written while the next is read: beyond that the upload
   * waits, so memory stays bounded whatever the database's pace.
   */
  private async backpressure(): Promise<void> {
    while (this.inFlight.length > MAX_STATEMENTS_IN_FLIGHT) await this.inFlight.shift();
  }

  private async query(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  private async mergeStaged(): Promise<void> {
    const { rows } = await this.client.query<{ inserted: string; updated: string }>(this.merge);
    this.counts.inserted += Number(rows[0].inserted);
    this.counts.updated += Number(rows[0].updated);
  }

  private copy(target: string, rows: readonly CheckedRow[]): Promise<void> {
    const stream = this.client.query(copyFrom(`COPY ${target} (${this.columns}) FROM STDIN WITH (FORMAT csv)`));
    return new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(toCsv(rows));
    });
  }
}

/** CSV for COPY: text always quoted (names may hold commas, quotes, line breaks), numbers bare. */
function toCsv(rows: readonly CheckedRow[]): string {
  let out = '';
  for (const row of rows) {
    let line = '';
    for (const value of row.values) {
      if (line) line += ',';
      line += typeof value === 'number' ? String(value) : `"${value.replaceAll('"', '""')}"`;
    }
    out += `${line}\n`;
  }
  return out;
}

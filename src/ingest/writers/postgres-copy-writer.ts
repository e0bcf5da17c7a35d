import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import { QueryRunner } from 'typeorm';
import { TABLE_SPECS, TableName } from '../../common/tables';
import { CheckedRow } from '../pipeline/pipeline.types';
import { RowWriter } from './row-writer';

const MAX_STATEMENTS_IN_FLIGHT = 2;

/**
 * COPY on PostgreSQL, on the transaction's own connection.
 *
 * Inserts stream through one COPY that stays open across chunks: PostgreSQL
 * takes rows as they come while the next chunk is parsed, with no round trip
 * per chunk. A lookup needs the connection, so `settle` closes the COPY first
 * (the pipeline calls it before any lookup; a file of new, increasing ids
 * needs none) and the next insert opens another.
 *
 * Upserts COPY each chunk into a temporary staging table and merge it with
 * INSERT … ON CONFLICT, at most two statements in flight.
 */
export class PostgresCopyWriter implements RowWriter {
  readonly countsUpserts = true;
  private readonly columns: string;
  private readonly stage: string;
  private readonly merge: string;
  private copying: { stream: CopyStreamQuery; done: Promise<void> } | null = null;
  /** Upsert statements issued and not yet done, oldest first (the connection completes them in order). */
  private inFlight: Promise<void>[] = [];
  private failure: unknown = null;
  private staged = false;
  private readonly counts = { inserted: 0, updated: 0 };

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
    if (this.failure) throw this.failure;
    this.copying ??= this.startCopy(this.table);
    const { stream, done } = this.copying;
    // The socket's backpressure paces the upload: wait until PostgreSQL has taken what was sent.
    if (!stream.write(toCsv(rows))) await Promise.race([once(stream, 'drain'), done]);
  }

  async upsert(rows: readonly CheckedRow[]): Promise<void> {
    if (!this.staged) {
      this.staged = true;
      this.issue(this.query(`CREATE TEMP TABLE IF NOT EXISTS ${this.stage} (LIKE ${this.table}) ON COMMIT DROP`));
    }
    this.issue(this.copyChunk(this.stage, rows));
    this.issue(this.mergeStaged());
    while (this.inFlight.length > MAX_STATEMENTS_IN_FLIGHT) await this.inFlight.shift();
  }

  /** Frees the connection for a lookup: ends an open COPY and waits for everything issued. */
  async settle(): Promise<void> {
    if (this.copying) {
      const { stream, done } = this.copying;
      this.copying = null;
      stream.end();
      await done;
    }
    await Promise.all(this.inFlight);
    this.inFlight = [];
  }

  upsertCounts(): { inserted: number; updated: number } {
    return { ...this.counts };
  }

  async finish(): Promise<void> {
    await this.settle();
    if (this.failure) throw this.failure;
  }

  private startCopy(target: string): { stream: CopyStreamQuery; done: Promise<void> } {
    const stream = this.client.query(copyFrom(`COPY ${target} (${this.columns}) FROM STDIN WITH (FORMAT csv)`));
    const done = new Promise<void>((resolve) => {
      stream.on('finish', resolve);
      stream.on('error', (error) => {
        this.failure ??= error;
        resolve();
      });
    });
    return { stream, done };
  }

  /** Keeps the first failure: later statements fail only because the transaction is then aborted. */
  private issue(statement: Promise<void>): void {
    this.inFlight.push(
      statement.catch((error: unknown) => {
        this.failure ??= error;
      }),
    );
  }

  private async query(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  private async copyChunk(target: string, rows: readonly CheckedRow[]): Promise<void> {
    const { stream, done } = this.startCopy(target);
    stream.end(toCsv(rows));
    await done;
  }

  private async mergeStaged(): Promise<void> {
    const { rows } = await this.client.query<{ inserted: string; updated: string }>(this.merge);
    this.counts.inserted += Number(rows[0].inserted);
    this.counts.updated += Number(rows[0].updated);
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

import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import { QueryRunner } from 'typeorm';
import { TABLE_SPECS, TableName, columnNames, upsertAssignments } from '../../common/tables';
import { CheckedRow } from '../pipeline/pipeline.types';
import { RowWriter } from './row-writer';

/**
 * COPY on PostgreSQL, on the transaction's own connection.
 *
 * Rows stream through one COPY that stays open across chunks: PostgreSQL
 * takes them as they come while the next chunk is parsed, with no round trip
 * per chunk. Inserts go straight into the table; upserts into a temporary
 * staging table, merged with INSERT … ON CONFLICT when the COPY closes. A
 * lookup needs the connection and must see every row so far, so `settle`
 * closes the COPY (and merges) first; the pipeline calls it before any lookup
 * (a file of new, increasing ids needs none), and the next chunk opens
 * another COPY.
 */
export class PostgresCopyWriter implements RowWriter {
  readonly countsUpserts = true;
  private readonly columns: string;
  private readonly stage: string;
  private readonly merge: string;
  private readonly mergeLatest: string;
  private copying: { stream: CopyStreamQuery; done: Promise<void>; target: string } | null = null;
  private failure: unknown = null;
  private staged = false;
  private readonly counts = { inserted: 0, updated: 0 };

  private constructor(
    private readonly client: PoolClient,
    private readonly table: TableName,
  ) {
    this.columns = columnNames(TABLE_SPECS[table]).join(', ');
    this.stage = `ingest_stage_${table}`;
    const updates = upsertAssignments(TABLE_SPECS[table]);
    // xmax is 0 on a freshly inserted row version and set on an updated one.
    const mergeFrom = (rows: string): string =>
      `WITH staged AS (DELETE FROM ${this.stage} RETURNING ${this.columns}, seq), ` +
      `merged AS (INSERT INTO ${table} (${this.columns}) SELECT ${this.columns} FROM ${rows} ` +
      `ON CONFLICT (id) DO UPDATE SET ${updates} RETURNING (xmax = 0) AS inserted) ` +
      'SELECT COUNT(*) FILTER (WHERE inserted) AS inserted, COUNT(*) FILTER (WHERE NOT inserted) AS updated, ' +
      '(SELECT COUNT(*) FROM staged) AS staged FROM merged';
    this.merge = mergeFrom('staged');
    // The same id staged twice (in different chunks): the last one wins, as in the file.
    this.mergeLatest = mergeFrom(`(SELECT DISTINCT ON (id) ${this.columns} FROM staged ORDER BY id, seq DESC) AS latest`);
  }

  static async open(queryRunner: QueryRunner, table: TableName): Promise<PostgresCopyWriter> {
    return new PostgresCopyWriter((await queryRunner.connect()) as PoolClient, table);
  }

  insert(rows: readonly CheckedRow[]): Promise<void> {
    return this.send(this.table, rows);
  }

  async upsert(rows: readonly CheckedRow[]): Promise<void> {
    if (!this.staged) {
      this.staged = true;
      // seq keeps the file order, so the last of an id staged twice can win.
      await this.client.query(
        `CREATE TEMP TABLE IF NOT EXISTS ${this.stage} (LIKE ${this.table}, seq bigserial) ON COMMIT DROP`,
      );
    }
    return this.send(this.stage, rows);
  }

  /** Frees the connection for a lookup: closes an open COPY, merging staged rows, and waits. */
  async settle(): Promise<void> {
    if (!this.copying) return;
    const { stream, done, target } = this.copying;
    this.copying = null;
    stream.end();
    await done;
    if (target === this.stage && !this.failure) await this.mergeStaged();
  }

  async abort(): Promise<unknown> {
    if (this.copying) {
      const { stream, done } = this.copying;
      this.copying = null;
      stream.end(); // no merge: the transaction is about to roll back
      await done;
    }
    return this.failure;
  }

  upsertCounts(): { inserted: number; updated: number } {
    return { ...this.counts };
  }

  async finish(): Promise<void> {
    await this.settle();
    if (this.failure) throw this.failure;
  }

  private async send(target: string, rows: readonly CheckedRow[]): Promise<void> {
    if (this.failure) throw this.failure;
    this.copying ??= this.startCopy(target);
    const { stream, done } = this.copying;
    // The socket's backpressure paces the upload: wait until PostgreSQL has taken what was sent.
    if (!stream.write(toCsv(rows))) await Promise.race([once(stream, 'drain'), done]);
  }

  private startCopy(target: string): { stream: CopyStreamQuery; done: Promise<void>; target: string } {
    const stream = this.client.query(copyFrom(`COPY ${target} (${this.columns}) FROM STDIN WITH (FORMAT csv)`));
    const done = new Promise<void>((resolve) => {
      stream.on('finish', resolve);
      stream.on('error', (error) => {
        this.failure ??= error;
        resolve();
      });
    });
    return { stream, done, target };
  }

  /**
   * Merges the staging table. Ids are rarely staged twice, so the plain merge
   * is tried first; PostgreSQL refuses it (21000) when one is, and the merge
   * that keeps the last of each id runs instead.
   */
  private async mergeStaged(): Promise<void> {
    try {
      await this.client.query('SAVEPOINT ingest_merge');
      await this.countMerge(this.merge);
      await this.client.query('RELEASE SAVEPOINT ingest_merge');
    } catch (error) {
      if ((error as { code?: unknown }).code !== '21000') {
        this.failure ??= error;
        return;
      }
      await this.client.query('ROLLBACK TO SAVEPOINT ingest_merge');
      await this.countMerge(this.mergeLatest).catch((failure: unknown) => {
        this.failure ??= failure;
      });
    }
  }

  private async countMerge(sql: string): Promise<void> {
    const { rows } = await this.client.query<{ inserted: string; staged: string }>(sql);
    const [{ inserted, staged }] = rows;
    this.counts.inserted += Number(inserted);
    // Every staged row that did not insert one updated one: directly, or by
    // being replaced by a later row of the same id (which `updated` counts once).
    this.counts.updated += Number(staged) - Number(inserted);
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

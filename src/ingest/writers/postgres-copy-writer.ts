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
 * staging table (no index, file order sent as seq), merged with one
 * INSERT … ON CONFLICT when the COPY closes, then truncated. A
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
  /** The merge of a stage holding repeats: it counts the first rows of ids instead of the rows merged. */
  private readonly mergeCountingFirsts: string;
  private copying: { stream: CopyStreamQuery; done: Promise<void>; target: string } | null = null;
  private failure: unknown = null;
  private staged = false;
  /** Rows in the staging table since the last merge; also their file order (seq). */
  private stagedRows = 0;
  /** Of those, rows marked `repeat`: counted by the pipeline, not here. */
  private stagedRepeats = 0;
  private readonly counts = { inserted: 0, updated: 0, unchanged: 0 };

  private constructor(
    private readonly client: PoolClient,
    private readonly table: TableName,
  ) {
    this.columns = columnNames(TABLE_SPECS[table]).join(', ');
    this.stage = `ingest_stage_${table}`;
    const updates = upsertAssignments(TABLE_SPECS[table]);
    const values = (alias: string): string => `(${columnNames(TABLE_SPECS[table]).map((c) => `${alias}.${c}`).join(', ')})`;
    // The same id staged twice (a repeat in the file): the last one wins, as in the file.
    // Only then are rows identical to the stored ones left out of the merge
    // (filtering first could drop the last version and keep an earlier one):
    // ON CONFLICT DO UPDATE locks every row it meets, exclusively when a
    // uniquely indexed column (a name, a title) is set, even to the same value.
    // That lock waits for the foreign-key locks of concurrent employee loads,
    // which may wait for this load: a deadlock. A plain read takes no lock.
    // xmax is 0 on a freshly inserted row version and set on an updated one.
    const merging =
      `WITH staged AS (SELECT DISTINCT ON (id) ${this.columns} FROM ${this.stage} ORDER BY id, seq DESC), ` +
      `merged AS (INSERT INTO ${table} (${this.columns}) SELECT ${this.columns} FROM staged ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${table} AS stored WHERE stored.id = staged.id AND ${values('stored')} IS NOT DISTINCT FROM ${values('staged')}) ` +
      `ON CONFLICT (id) DO UPDATE SET ${updates} RETURNING (xmax = 0) AS inserted) `;
    // Without repeats every staged row is the first of its id and the one merged:
    // the ids staged but not merged are the unchanged rows.
    this.merge = `${merging}SELECT COUNT(*) FILTER (WHERE inserted) AS inserted, (SELECT COUNT(*) FROM staged) - COUNT(*) AS unchanged FROM merged`;
    // With repeats, the row merged may be a later one than the row to count: the
    // first row of an id is compared with the stored row itself. Every part of
    // one statement sees the table as it was before the merge (one snapshot),
    // and the first row of an id is always staged before any of its repeats,
    // so that is the row as it was before the upload. One more primary-key
    // probe per first row, only for stages that hold a repeat.
    this.mergeCountingFirsts =
      `${merging}SELECT (SELECT COUNT(*) FILTER (WHERE inserted) FROM merged) AS inserted, COUNT(*) AS unchanged ` +
      `FROM ${this.stage} AS first JOIN ${table} AS stored ON stored.id = first.id AND ${values('stored')} IS NOT DISTINCT FROM ${values('first')} ` +
      'WHERE NOT first.repeat';
  }

  static async open(queryRunner: QueryRunner, table: TableName): Promise<PostgresCopyWriter> {
    return new PostgresCopyWriter((await queryRunner.connect()) as PoolClient, table);
  }

  insert(rows: readonly CheckedRow[]): Promise<void> {
    return this.send(this.table, toCsv(rows));
  }

  async upsert(rows: readonly CheckedRow[]): Promise<void> {
    if (!this.staged) {
      this.staged = true;
      // seq keeps the file order, so the last of an id staged twice can win; it is sent with the rows.
      await this.client.query(`CREATE TEMP TABLE IF NOT EXISTS ${this.stage} (LIKE ${this.table}, seq bigint, repeat boolean) ON COMMIT DROP`);
    }
    const firstSeq = this.stagedRows;
    this.stagedRows += rows.length;
    for (const row of rows) if (row.repeat) this.stagedRepeats++;
    return this.send(this.stage, toCsv(rows, firstSeq));
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

  upsertCounts(): { inserted: number; updated: number; unchanged: number } {
    return { ...this.counts };
  }

  async finish(): Promise<void> {
    await this.settle();
    if (this.failure) throw this.failure;
  }

  private async send(target: string, csv: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.copying ??= this.startCopy(target);
    const { stream, done } = this.copying;
    // The socket's backpressure paces the upload: wait until PostgreSQL has taken what was sent.
    if (!stream.write(csv)) await Promise.race([once(stream, 'drain'), done]);
  }

  private startCopy(target: string): { stream: CopyStreamQuery; done: Promise<void>; target: string } {
    const columns = target === this.stage ? `${this.columns}, seq, repeat` : this.columns;
    const stream = this.client.query(copyFrom(`COPY ${target} (${columns}) FROM STDIN WITH (FORMAT csv)`));
    const done = new Promise<void>((resolve) => {
      stream.on('finish', resolve);
      stream.on('error', (error) => {
        this.failure ??= error;
        resolve();
      });
    });
    return { stream, done, target };
  }

  private async mergeStaged(): Promise<void> {
    try {
      const merge = this.stagedRepeats > 0 ? this.mergeCountingFirsts : this.merge;
      const { rows } = await this.client.query<{ inserted: string; unchanged: string }>(merge);
      const inserted = Number(rows[0].inserted);
      this.counts.inserted += inserted;
      this.counts.unchanged += Number(rows[0].unchanged);
      // Only the first row of an id can insert it (a repeat finds it written); every
      // other first row updated its id, or found it identical (counted as updated too).
      this.counts.updated += this.stagedRows - this.stagedRepeats - inserted;
      this.stagedRows = 0;
      this.stagedRepeats = 0;
      // Emptied for the next COPY; cheaper than deleting the rows one by one.
      await this.client.query(`TRUNCATE ${this.stage}`);
    } catch (failure) {
      this.failure ??= failure;
    }
  }
}

/**
 * CSV for COPY: text always quoted (names may hold commas, quotes, line
 * breaks), numbers bare; with `firstSeq`, each line ends with its file order
 * and whether it is a repeat.
 */
function toCsv(rows: readonly CheckedRow[], firstSeq?: number): string {
  let out = '';
  let seq = firstSeq ?? 0;
  for (const row of rows) {
    let line = '';
    for (const value of row.values) {
      if (line) line += ',';
      line += typeof value === 'number' ? String(value) : `"${value.replaceAll('"', '""')}"`;
    }
    out += firstSeq === undefined ? `${line}\n` : `${line},${seq++},${row.repeat ? 't' : 'f'}\n`;
  }
  return out;
}

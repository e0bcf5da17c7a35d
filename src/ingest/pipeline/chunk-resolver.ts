import { QueryRunner } from 'typeorm';
import { RowError, RowErrorCode } from '../../common/row-error';
import { TableName, TableSpec } from '../../common/tables';
import { IngestMode } from '../../config/settings.schema';
import { IngestLookupRepository } from '../ingest-lookup.repository';
import { CheckedRow, RowPosition, positionFields } from './pipeline.types';
import { UploadIds } from './upload-ids';

export interface ChunkOutcome {
  readonly writes: CheckedRow[];
  /** Rejected rows, each with all its errors. */
  readonly rejected: { row: CheckedRow; errors: RowError[] }[];
  readonly inserted: number;
  readonly updated: number;
  readonly skipped: number;
  /** Rows whose id an earlier row of this upload had; in mode upsert they are among `writes`, marked `repeat`. */
  readonly duplicateInFile: number;
}

const UNKNOWN_REFERENCE: Partial<Record<TableName, RowErrorCode>> = {
  departments: 'unknown_department',
  jobs: 'unknown_job',
};
// Referenced ids confirmed to exist are remembered for the rest of the upload,
// up to this many, so a chunk usually needs no foreign-key query at all.
const MAX_CACHED_REFERENCES = 100_000;

/**
 * The checks that need the database, done set-based per chunk inside the
 * ingestion's transaction: foreign keys, ids that already exist (in the table
 * or earlier in this upload), unique names, and what the mode makes of each
 * conflict. The first accepted row of an id counts as what its mode did with
 * it; every later one as a duplicate in the file (in mode insert, an error).
 */
export class ChunkResolver {
  private readonly knownReferences = new Map<TableName, Set<number>>();
  /** Referenced ids found missing: an upload never adds rows to the tables it references. */
  private readonly missingIds = new Map<TableName, Set<number>>();
  private readonly references: { index: number; column: string; table: TableName }[];
  private readonly uniqueIndex: number;
  /** Every id above this is new: not in the table at the start, not seen earlier in this upload. */
  private highestId: number | null = null;

  constructor(
    private readonly repository: IngestLookupRepository,
    private readonly queryRunner: QueryRunner,
    private readonly spec: TableSpec,
    private readonly mode: IngestMode,
    /** Ids of the rows accepted so far in this upload, whichever chunk they were in. */
    private readonly uploadIds: UploadIds,
    /** The writer tells inserted from updated itself, so upserts need no lookup to count them. */
    private readonly writerCountsUpserts = false,
    /** Called before any lookup: the writer may hold the connection (an open COPY). */
    private readonly beforeLookup: () => Promise<void> = async () => undefined,
  ) {
    this.references = spec.columns.flatMap((column, index) =>
      column.references ? [{ index, column: column.name, table: column.references }] : [],
    );
    this.uniqueIndex = spec.columns.findIndex((c) => c.name === spec.uniqueColumn);
  }

  async resolve(chunk: readonly CheckedRow[]): Promise<ChunkOutcome> {
    const rejected: { row: CheckedRow; errors: RowError[] }[] = [];
    const reject = (row: CheckedRow, column: string | null, code: RowErrorCode, message: string): void => {
      const value = column === null ? null : String(row.values[this.spec.columns.findIndex((c) => c.name === column)]);
      const error: RowError = { ...positionFields(row.position), column, value, code, message };
      const last = rejected[rejected.length - 1];
      if (last?.row === row) last.errors.push(error);
      else rejected.push({ row, errors: [error] });
    };

    const missing = await this.missingReferences(chunk.map((row) => row.values));
    const candidates = chunk.filter((row) => {
      const errors = this.brokenReferences(row.position, row.values, missing);
      for (const error of errors) reject(row, error.column, error.code, error.message);
      return errors.length === 0;
    });

    const countLater = this.mode === 'upsert' && this.writerCountsUpserts;
    const toLookUp = countLater ? [] : await this.idsToLookUp(candidates);
    const existing = toLookUp.length === 0 ? new Set<number>() : await this.lookUp(() => this.repository.existingIds(this.queryRunner, this.spec.name, toLookUp));
    const holders = this.uniqueIndex < 0 ? new Map<string, number>() : await this.uniqueHolders(candidates);
    // In file order: in mode upsert a repeated id is written again (the last row wins), the writer sees both.
    const writes: CheckedRow[] = [];
    /** Mode insert: rows of this chunk by id, to name the line a repeated id was first on. */
    const firsts = new Map<number, CheckedRow>();
    let inserted = 0;
    let updated = 0;
    let skipped = 0;
    let duplicateInFile = 0;
    for (const row of candidates) {
      // Recorded at once (one bitmap call per row), forgotten again if the row is rejected below.
      const first = this.uploadIds.firstTime(row.id);
      const exists = !first || existing.has(row.id);
      if (exists && this.mode === 'insert') {
        if (first) this.uploadIds.forget(row.id);
        const earlier = firsts.get(row.id);
        const where = earlier ? `earlier in this upload (${describe(earlier)})` : first ? 'already in the table' : 'earlier in this upload';
        reject(row, 'id', 'duplicate_id', `id ${row.id} exists ${where}; use mode=upsert to update or mode=skip to keep it`);
        continue;
      }
      if (exists && this.mode === 'skip') {
        if (first) skipped++;
        else duplicateInFile++;
        continue;
      }
      if (this.uniqueIndex >= 0) {
        const value = row.values[this.uniqueIndex] as string;
        const holder = holders.get(value);
        if (holder !== undefined && holder !== row.id) {
          if (first) this.uploadIds.forget(row.id);
          const column = this.spec.columns[this.uniqueIndex].name;
          reject(row, column, 'duplicate_name', `${column} "${value}" is already used by id ${holder}`);
          continue;
        }
        holders.set(value, row.id);
      }
      if (!first) {
        duplicateInFile++;
        writes.push({ ...row, repeat: true });
        continue;
      }
      if (exists) updated++;
      else if (!countLater) inserted++;
      if (this.mode === 'insert') firsts.set(row.id, row);
      writes.push(row);
    }
    return { writes, rejected, inserted, updated, skipped, duplicateInFile };
  }

  /**
   * Only ids at or below the highest id known so far can exist: a file of
   * new, increasing ids (the common load) needs no lookup at all.
   */
  private async idsToLookUp(rows: readonly CheckedRow[]): Promise<number[]> {
    this.highestId ??= await this.lookUp(() => this.repository.maxId(this.queryRunner, this.spec.name));
    const lookUp: number[] = [];
    for (const row of rows) {
      if (row.id > this.highestId) this.highestId = row.id;
      // An id accepted earlier in this upload is a repeat whatever the table holds.
      else if (!this.uploadIds.has(row.id)) lookUp.push(row.id);
    }
    return unique(lookUp);
  }

  private async lookUp<T>(query: () => Promise<T>): Promise<T> {
    await this.beforeLookup();
    return query();
  }

  /**
   * The foreign-key errors of rows that failed their type checks, from the
   * reference values that did pass: every violation of a row is reported.
   */
  async referenceErrors(rows: readonly { position: RowPosition; values: readonly unknown[] }[]): Promise<RowError[][]> {
    const missing = await this.missingReferences(rows.map((row) => row.values));
    return rows.map((row) => this.brokenReferences(row.position, row.values, missing));
  }

  private brokenReferences(position: RowPosition, values: readonly unknown[], missing: Map<TableName, Set<number>>): RowError[] {
    return this.references
      .filter((ref) => missing.get(ref.table)?.has(values[ref.index] as number))
      .map((ref) => ({
        ...positionFields(position),
        column: ref.column,
        value: String(values[ref.index]),
        code: UNKNOWN_REFERENCE[ref.table] ?? 'unknown_department',
        message: `${ref.column} ${values[ref.index]} does not exist in ${ref.table}`,
      }));
  }

  /** Per referenced table, the ids these rows name that do not exist (values that are not ids are skipped). */
  private async missingReferences(rows: readonly (readonly unknown[])[]): Promise<Map<TableName, Set<number>>> {
    const missing = new Map<TableName, Set<number>>();
    for (const ref of this.references) {
      const known = cacheOf(this.knownReferences, ref.table);
      const knownMissing = cacheOf(this.missingIds, ref.table);
      const ids = unique(rows.map((values) => values[ref.index]).filter((id): id is number => typeof id === 'number'));
      const unknown = ids.filter((id) => !known.has(id) && !knownMissing.has(id));
      const found = unknown.length === 0 ? new Set<number>() : await this.lookUp(() => this.repository.existingIds(this.queryRunner, ref.table, unknown));
      const asked = new Set(unknown);
      missing.set(ref.table, new Set(ids.filter((id) => knownMissing.has(id) || (asked.has(id) && !found.has(id)))));
      // Remember both answers, within bounds (clearing only costs a lookup later).
      if (known.size + found.size > MAX_CACHED_REFERENCES) known.clear();
      if (knownMissing.size + unknown.length > MAX_CACHED_REFERENCES) knownMissing.clear();
      for (const id of unknown) (found.has(id) ? known : knownMissing).add(id);
    }
    return missing;
  }

  private async uniqueHolders(rows: readonly CheckedRow[]): Promise<Map<string, number>> {
    const values = unique(rows.map((row) => row.values[this.uniqueIndex] as string));
    return this.lookUp(() => this.repository.uniqueHolders(this.queryRunner, this.spec.name, this.spec.uniqueColumn as string, values));
  }
}

function cacheOf(caches: Map<TableName, Set<number>>, table: TableName): Set<number> {
  let cache = caches.get(table);
  if (!cache) caches.set(table, (cache = new Set<number>()));
  return cache;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function describe(row: CheckedRow): string {
  return row.position.kind === 'line' ? `line ${row.position.at}` : `row ${row.position.at}`;
}

import { QueryRunner } from 'typeorm';
import { RowError } from '../common/row-error';
import { TABLE_SPECS, TableName } from '../common/tables';
import { IngestLookupRepository } from '../ingest/ingest-lookup.repository';
import { ChunkResolver } from '../ingest/pipeline/chunk-resolver';
import { CheckedRow } from '../ingest/pipeline/pipeline.types';
import { compileRowChecker } from '../ingest/pipeline/row-checker';
import { UploadIds } from '../ingest/pipeline/upload-ids';
import { createRowWriter } from '../ingest/writers/create-row-writer';
import { RowWriter } from '../ingest/writers/row-writer';
import { fromAvroRecord } from './avro/table-schema';
import { RestoreMode } from './dto/restore.dto';

export interface TableRestoreOptions {
  readonly mode: RestoreMode;
  /** Records checked, resolved and written per round trip. */
  readonly chunkRows: number;
  /** The restore stops reading once it has found this many errors. */
  readonly maxErrors: number;
}

export interface TableRestoreOutcome {
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** merge: records whose id an earlier record of the file had (the last one wins). */
  duplicateInFile: number;
  /** Ordered by record index; at most maxErrors. */
  errors: RowError[];
  /** Reading stopped at maxErrors: there may be more. */
  errorsTruncated: boolean;
}

/**
 * Loads one table's records inside the restore's transaction with the ingest
 * pipeline's own stages, so a backup row passes exactly the checks an
 * uploaded one does: the compiled type checks (as a JSON batch row, its
 * position the 0-based record index), then per chunk and set-based the
 * foreign keys, repeated ids and unique names (ChunkResolver), then the
 * writer of the database (COPY on PostgreSQL). replace loads into emptied
 * tables as inserts; merge upserts by id.
 */
export async function restoreTable(
  queryRunner: QueryRunner,
  lookups: IngestLookupRepository,
  table: TableName,
  records: AsyncIterable<Record<string, unknown>>,
  options: TableRestoreOptions,
): Promise<TableRestoreOutcome> {
  const writer = await createRowWriter(queryRunner, table);
  // In WebAssembly memory, which the garbage collector never frees: disposed of here.
  const ids = new UploadIds();
  try {
    const mode = options.mode === 'merge' ? 'upsert' : 'insert';
    const resolver = new ChunkResolver(lookups, queryRunner, TABLE_SPECS[table], mode, ids, writer.countsUpserts, () => writer.settle());
    return await load(resolver, writer, table, records, options);
  } finally {
    ids.dispose();
  }
}

async function load(
  resolver: ChunkResolver,
  writer: RowWriter,
  table: TableName,
  records: AsyncIterable<Record<string, unknown>>,
  options: TableRestoreOptions,
): Promise<TableRestoreOutcome> {
  const check = compileRowChecker(TABLE_SPECS[table]);
  const upsert = options.mode === 'merge';
  const outcome: TableRestoreOutcome = { rowsRead: 0, inserted: 0, updated: 0, unchanged: 0, duplicateInFile: 0, errors: [], errorsTruncated: false };
  let chunk: CheckedRow[] = [];
  const flush = async (): Promise<void> => {
    const resolved = await resolver.resolve(chunk);
    chunk = [];
    for (const rejected of resolved.rejected) outcome.errors.push(...rejected.errors);
    outcome.inserted += resolved.inserted;
    outcome.updated += resolved.updated;
    outcome.duplicateInFile += resolved.duplicateInFile;
    if (resolved.writes.length > 0) await (upsert ? writer.upsert(resolved.writes) : writer.insert(resolved.writes));
  };
  try {
    for await (const record of records) {
      const result = check({ position: { kind: 'row', at: outcome.rowsRead }, values: fromAvroRecord(table, record), raw: null });
      outcome.rowsRead++;
      if (result.ok) chunk.push(result.row);
      else outcome.errors.push(...result.errors);
      if (chunk.length >= options.chunkRows) await flush();
      if (outcome.errors.length >= options.maxErrors) break;
    }
    if (chunk.length > 0 && outcome.errors.length < options.maxErrors) await flush();
  } catch (error) {
    // A failed write aborts the transaction and the next statement fails for that reason: report the cause.
    throw (await writer.abort()) ?? error;
  }
  if (outcome.errors.length > 0) {
    // The caller rolls back: the writer lets go of the connection without finishing.
    await writer.abort();
    outcome.errorsTruncated = outcome.errors.length >= options.maxErrors;
    outcome.errors = outcome.errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)).slice(0, options.maxErrors);
    return outcome;
  }
  await writer.finish();
  const upserts = writer.upsertCounts();
  outcome.inserted += upserts.inserted;
  // Rows identical to the stored ones were counted as updated (by the writer or the lookups): move them.
  outcome.updated += upserts.updated - upserts.unchanged;
  outcome.unchanged += upserts.unchanged;
  return outcome;
}

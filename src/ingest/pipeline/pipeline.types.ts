import { KeyClaim } from '../../idempotency/idempotency.service';
import { RowError } from '../../common/row-error';
import { TableName } from '../../common/tables';
import type { TableInferredFrom } from './table-inference';
import { IngestMode, OnErrorPolicy } from '../../config/settings.schema';

/** Where a row came from: a CSV line (1-based) or a JSON batch index (0-based). */
export interface RowPosition {
  readonly kind: 'line' | 'row';
  readonly at: number;
}

/** A row as read from its source, cells in canonical column order. */
export interface SourceRow {
  readonly position: RowPosition;
  /** Canonical-order values, or null when the row could not be laid out. */
  readonly values: readonly unknown[] | null;
  /** The row as read, kept for rejects: the CSV record's text as in the file, or the JSON object. */
  readonly raw: unknown;
  /** A layout error found while reading (e.g. wrong column count). */
  readonly error?: RowError;
}

/** A row that passed the type checks: typed values in canonical order. */
export interface CheckedRow {
  readonly position: RowPosition;
  readonly id: number;
  readonly values: readonly (string | number)[];
  readonly raw: unknown;
  /** An earlier row of this upload had the same id: the pipeline counts it duplicate_in_file, the writer must not count it. */
  readonly repeat?: boolean;
}

/** What the source tells about itself once read (CSV dialect and header). */
export interface SourceDescription {
  readonly format: 'csv' | 'json';
  readonly header?: boolean;
  /** Source header → canonical column, when the file had a header. */
  readonly columns?: Record<string, string>;
  readonly delimiter?: string;
  readonly bom?: boolean;
  /** The line breaks the file uses: crlf, lf, cr, mixed, or none (a single line). */
  readonly line_endings?: LineEndings;
  readonly bytes?: number;
  /** Added by the pipeline when the request named no table. */
  readonly table_inferred_from?: TableInferredFrom;
  /** SHA-256 (hex) of every byte read; recorded on the ingestion, not among what was detected. */
  readonly sha256?: string;
  /** The header line as written, when the file had one; recorded on the ingestion for its rejects file, not among what was detected. */
  readonly header_line?: string;
}

export type LineEndings = 'crlf' | 'lf' | 'cr' | 'mixed' | 'none';

export interface RowSource {
  /** The rows in source order, in batches of whatever has arrived (one await per batch, not per row). */
  rows(): AsyncIterable<readonly SourceRow[]>;
  describe(): SourceDescription;
  /** Makes rows() fail soon with `reason`, even while it waits for input (the service is stopping). */
  stop?(reason: Error): void;
}

export interface IngestRequest {
  readonly table: TableName;
  /** How the table was chosen when the request named none (recorded among what was detected). */
  readonly tableInferredFrom?: TableInferredFrom;
  readonly sourceKind: 'csv' | 'batch';
  readonly sourceName: string;
  readonly mode: IngestMode;
  readonly onError: OnErrorPolicy;
  readonly requestId: string | null;
  /** Run every stage, then roll back: the report of a real run, nothing kept but the ingestion record. */
  readonly dryRun: boolean;
  /** The error budget: past this many rejected rows the ingestion stops and rolls back; null: none. */
  readonly maxErrors: number | null;
  /** The Idempotency-Key this request holds: linked to the ingestion in the transaction that commits it. */
  readonly idempotency?: KeyClaim;
  /** The name of the API key that sent it, for the audit trail. */
  readonly apiKeyName?: string;
}

export interface IngestCounts {
  rowsRead: number;
  inserted: number;
  updated: number;
  /** Upserted rows identical to the stored ones: nothing to change. */
  unchanged: number;
  skipped: number;
  /** Rows whose id an earlier row of the same upload had (that row got the count of its own outcome). */
  duplicateInFile: number;
  rejected: number;
}

export function positionFields(position: RowPosition): { line: number } | { row: number } {
  return position.kind === 'line' ? { line: position.at } : { row: position.at };
}

/** How far a running ingestion has got: what its heartbeat records. */
export interface IngestProgress {
  readonly rowsRead: number;
  readonly rejected: number;
  /** Rows handed to the database (they commit only if the ingestion succeeds). */
  readonly rowsWritten: number;
  readonly bytesRead: number;
}

import { ApiProblem } from '../../common/api-problem';
import { RowError } from '../../common/row-error';
import { TableName } from '../../common/tables';
import { CsvSourceOptions } from './csv-row-source';
import { SourceDescription, SourceRow } from './pipeline.types';

/** What the parsing worker is started with. */
export interface CsvWorkerData {
  readonly table: TableName;
  readonly aliases: Readonly<Record<string, readonly string[]>>;
  readonly options: Omit<CsvSourceOptions, 'afterLastRow'>;
  /** Row batches the worker may post before the main thread has taken them. */
  readonly maxBatchesAhead: number;
}

export type MainMessage = { type: 'chunk'; bytes: Uint8Array } | { type: 'end' } | { type: 'taken' };

export type WorkerMessage =
  | { type: 'ack' }
  | { type: 'rows'; rows: string; description: SourceDescription }
  | { type: 'end'; description: SourceDescription }
  | { type: 'error'; error: EncodedError; description: SourceDescription };

export type EncodedError =
  | { kind: 'problem'; status: number; code: string; detail: string; extensions: Record<string, unknown> }
  | { kind: 'error'; message: string };

/**
 * A batch of rows as one JSON string: one JSON.parse on the main thread
 * costs far less than structured-cloning thousands of small objects.
 * Each row is [line, values, raw, error?].
 */
export function encodeRows(rows: readonly SourceRow[]): string {
  return JSON.stringify(rows.map((row) => (row.error ? [row.position.at, row.values, row.raw, row.error] : [row.position.at, row.values, row.raw])));
}

export function decodeRows(text: string): SourceRow[] {
  const rows = JSON.parse(text) as [number, unknown[] | null, unknown, RowError?][];
  return rows.map(([at, values, raw, error]) => ({ position: { kind: 'line', at }, values, raw, ...(error ? { error } : {}) }));
}

export function encodeError(error: unknown): EncodedError {
  if (error instanceof ApiProblem) {
    return { kind: 'problem', status: error.status, code: error.code, detail: error.detail, extensions: error.extensions };
  }
  return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
}

export function decodeError(error: EncodedError): Error {
  if (error.kind === 'problem') return new ApiProblem(error.status, error.code, error.detail, error.extensions);
  return new Error(`the CSV parsing thread failed: ${error.message}`);
}

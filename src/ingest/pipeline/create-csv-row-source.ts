import { Readable } from 'node:stream';
import { TableSpec } from '../../common/tables';
import { ParseWorkerPolicy } from '../../config/settings.schema';
import { CsvRowSource, CsvSourceOptions } from './csv-row-source';
import { RowSource } from './pipeline.types';
import { ThreadedCsvRowSource } from './threaded-csv-row-source';

export interface ParseWorkerChoice {
  readonly policy: ParseWorkerPolicy;
  readonly minBytes: number;
  /** The size the upload is expected to have, when known in advance. */
  readonly bytes: number | null;
  readonly database: 'sqlite' | 'postgres';
}

/**
 * A CSV row source, parsed in-thread or on a worker thread; both read the
 * same rows the same way (the worker runs CsvRowSource).
 *
 * `auto` uses the worker for large uploads on SQLite only. There the main
 * thread itself writes (better-sqlite3 is synchronous) and the second core
 * is idle, so parsing there doubles the work done at once. On PostgreSQL the
 * server's backend already works on the second core, checking foreign keys
 * (the bound of a load), and a third busy thread only takes CPU from it:
 * measured slower (README, Benchmark).
 */
export function createCsvRowSource(
  input: Readable,
  spec: TableSpec,
  aliases: Readonly<Record<string, readonly string[]>>,
  options: CsvSourceOptions,
  choice: ParseWorkerChoice,
): RowSource {
  const large = choice.bytes !== null && choice.bytes >= choice.minBytes;
  const threaded = choice.policy === 'always' || (choice.policy === 'auto' && choice.database === 'sqlite' && large);
  return threaded ? new ThreadedCsvRowSource(input, spec, aliases, options) : new CsvRowSource(input, spec, aliases, options);
}

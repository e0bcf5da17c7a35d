import { Readable } from 'node:stream';
import { TableSpec } from '../../common/tables';
import { CsvRowSource, CsvSourceOptions } from './csv-row-source';
import { RowSource } from './pipeline.types';
import { ThreadedCsvRowSource } from './threaded-csv-row-source';

/**
 * A CSV row source: parsed on a worker thread when the upload is expected to
 * be large enough to repay starting one (tens of milliseconds), in-thread
 * otherwise. Both read the same rows the same way (the worker runs CsvRowSource).
 */
export function createCsvRowSource(
  input: Readable,
  spec: TableSpec,
  aliases: Readonly<Record<string, readonly string[]>>,
  options: CsvSourceOptions,
  expected: { bytes: number | null; workerMinBytes: number },
): RowSource {
  const threaded = expected.workerMinBytes === 0 || (expected.bytes !== null && expected.bytes >= expected.workerMinBytes);
  return threaded ? new ThreadedCsvRowSource(input, spec, aliases, options) : new CsvRowSource(input, spec, aliases, options);
}

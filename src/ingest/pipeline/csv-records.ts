import { Readable, finished, pipeline } from 'node:stream';
import { ApiProblem, FileFormatError } from '../../common/api-problem';
import { Wakeup } from '../../common/wakeup';
import { ParsedRecord, createCsvParser } from './csv-parser';
import { LineEndings } from './pipeline.types';
import { RecordFramer } from './record-framer';
import { Utf8Guard } from './utf8-guard';

export interface CsvRecord {
  /** 1-based physical line the record starts on. */
  readonly line: number;
  readonly cells: string[];
  /** The record's text as in the file, without the line break that ends it. */
  readonly raw: string;
}

export interface CsvStats {
  bytes: number;
  bom: boolean;
  lineEndings?: LineEndings;
  sha256?: string;
}

/**
 * Streams RFC 4180 records with the physical line each starts on (a quoted
 * field may span lines). Blank lines, and rows whose cells are all empty, are
 * skipped. Structural errors become a 400 naming the line: the framer finds
 * them before the parser (see RecordFramer); whatever the parser still rejects is
 * placed on the line after the last record read.
 */
export async function* readCsvRecords(
  input: Readable,
  delimiter: string,
  maxBytes: number,
  stats: CsvStats,
): AsyncGenerator<CsvRecord[]> {
  const guard = new Utf8Guard(maxBytes);
  const framer = new RecordFramer(delimiter.charCodeAt(0));
  // Trimming is done per cell by the caller so that line counting still sees every embedded newline.
  const parser = createCsvParser(delimiter);
  pipeline(input, guard, framer, parser, () => undefined);
  let nextLine = 1;
  try {
    for await (const batch of batchesOf<ParsedRecord>(parser)) {
      const records: CsvRecord[] = [];
      for (const { record: cells, raw } of batch) {
        const line = nextLine;
        nextLine += 1 + embeddedLineBreaks(cells);
        if (!cells.every((cell) => cell.trim() === '')) records.push({ line, cells, raw: withoutLineBreak(raw) });
      }
      // Kept current for the progress of a running ingestion.
      stats.bytes = guard.bytes;
      if (records.length > 0) yield records;
    }
    if (framer.failure) throw framer.failure;
  } catch (error) {
    throw asFileError(error, nextLine);
  } finally {
    stats.bytes = guard.bytes;
    stats.bom = guard.bom;
    stats.lineEndings = framer.lineEndings();
    stats.sha256 = guard.sha256();
    if (!parser.destroyed) parser.destroy();
  }
}

/**
 * Everything an object stream has buffered, one array per wait. Iterating
 * the stream itself costs a few promises per object, and with the request
 * context tracked through async hooks that alone was seconds per million rows.
 */
export async function* batchesOf<T>(stream: Readable): AsyncGenerator<T[]> {
  const wakeup = new Wakeup();
  let ended = false;
  let failure: Error | null = null;
  const cleanup = finished(stream, (error) => {
    ended = true;
    failure = error ?? null;
    wakeup.wake();
  });
  stream.on('readable', wakeup.wake);
  try {
    for (;;) {
      const batch: T[] = [];
      for (let item = stream.read() as T | null; item !== null; item = stream.read() as T | null) batch.push(item);
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await wakeup.wait();
    }
  } finally {
    stream.off('readable', wakeup.wake);
    cleanup();
  }
}

const LINE_BREAK = /\r\n|\r|\n/g;

/** Line breaks inside quoted cells, counted as the framer counts them (CR LF, CR or LF). */
function embeddedLineBreaks(cells: string[]): number {
  let count = 0;
  for (const cell of cells) {
    if (cell.includes('\n') || cell.includes('\r')) count += cell.match(LINE_BREAK)?.length ?? 0;
  }
  return count;
}

const TRAILING_LINE_BREAK = /(?:\r\n|\r|\n)$/;

function withoutLineBreak(raw: string): string {
  return raw.replace(TRAILING_LINE_BREAK, '');
}

/** What the parser still rejects after the framer (rare), placed on the line after the last record read. */
function asFileError(error: unknown, line: number): unknown {
  if (error instanceof ApiProblem) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('CSV_')) {
    const message = (error as Error).message.split(' at line')[0].replace(/^Invalid /, 'invalid ');
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      return new FileFormatError('unterminated_quote', `line ${line}: a quoted field is never closed (missing closing ")`, line);
    }
    return new FileFormatError('malformed_csv', `line ${line}: malformed CSV (${message})`, line);
  }
  return error;
}

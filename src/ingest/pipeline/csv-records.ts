import { Readable, pipeline } from 'node:stream';
import { parse } from '@fast-csv/parse';
import { ApiProblem, FileFormatError } from '../../common/api-problem';
import { RecordFramer } from './record-framer';
import { Utf8Guard } from './utf8-guard';

export interface CsvRecord {
  /** 1-based physical line the record starts on. */
  readonly line: number;
  readonly cells: string[];
}

export interface CsvStats {
  bytes: number;
  bom: boolean;
}

/**
 * Streams RFC 4180 records with the physical line each starts on (a quoted
 * field may span lines). Blank lines, and rows whose cells are all empty, are
 * skipped. Structural errors become a 400 naming the line: the framer finds
 * them before fast-csv (see RecordFramer); whatever fast-csv still rejects is
 * placed on the line after the last record read.
 */
export async function* readCsvRecords(
  input: Readable,
  delimiter: string,
  maxBytes: number,
  stats: CsvStats,
): AsyncGenerator<CsvRecord> {
  const guard = new Utf8Guard(maxBytes);
  const framer = new RecordFramer(delimiter.charCodeAt(0));
  // fast-csv decodes bytes itself; trimming is done per cell by the caller so
  // that line counting still sees every embedded newline.
  const parser = parse({ delimiter, quote: '"', escape: '"', ignoreEmpty: false, trim: false });
  pipeline(input, guard, framer, parser, () => undefined);
  let nextLine = 1;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine += 1 + embeddedLineBreaks(cells);
      if (cells.every((cell) => cell.trim() === '')) continue;
      // Kept current for the progress of a running ingestion.
      stats.bytes = guard.bytes;
      yield { line, cells };
    }
    if (framer.failure) throw framer.failure;
  } catch (error) {
    throw asFileError(error, nextLine);
  } finally {
    stats.bytes = guard.bytes;
    stats.bom = guard.bom;
    if (!parser.destroyed) parser.destroy();
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

function asFileError(error: unknown, line: number): unknown {
  if (error instanceof ApiProblem) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/missing closing/i.test(message)) {
    return new FileFormatError('unterminated_quote', `line ${line}: a quoted field is never closed (missing closing ")`, line);
  }
  const parseError = /^Parse Error: (.*)$/s.exec(message);
  if (parseError) {
    return new FileFormatError('malformed_csv', `line ${line}: malformed CSV (${parseError[1].split(' at ')[0].trim()})`, line);
  }
  return error;
}

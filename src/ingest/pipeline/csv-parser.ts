import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { parse as parseText } from 'csv-parse/sync';

const PARSE_OPTIONS = {
  quote: '"',
  escape: '"',
  // Any line end, even mixed in one file, as spreadsheets and legacy exports write them.
  record_delimiter: ['\r\n', '\n', '\r'],
  relax_column_count: true,
  // A quote inside an unquoted cell is text, as the framer reads it.
  relax_quotes: true,
  skip_empty_lines: false,
  // Whitespace around a cell, and so around a quoted cell (`1, "Sales, EMEA"`), is not data.
  trim: true,
};

/**
 * The one place that names the CSV parser library: UTF-8 bytes of complete
 * records in (see RecordFramer), one ParsedRecord per physical record out,
 * an empty line included (as ['']) so lines can be counted.
 *
 * csv-parse replaced fast-csv here because the benchmark showed the parser
 * bounding the upload: on the same file, fast-csv parsed ~250k rows/s and
 * csv-parse ~660k on this machine (README, Benchmark). Swapping the parser
 * means changing this file only; the framer has already rejected
 * unbalanced quotes, so any RFC 4180 parser fits.
 */
export function createCsvParser(delimiter: string): Transform {
  return parse({
    ...PARSE_OPTIONS,
    delimiter,
    // The record as written (quotes, spaces, delimiter): a rejected row goes back to its user
    // exactly so (GET /ingestions/{id}/rejects). It costs about a tenth of the parse.
    raw: true,
  });
}

/** The cells of one record's text, read as an upload reads it (e.g. to count a rejected line's cells). */
export function parseRecord(text: string, delimiter: string): string[] {
  const [cells] = parseText(text, { ...PARSE_OPTIONS, delimiter }) as string[][];
  return cells ?? [];
}

/** What the parser emits per record: its cells, and its text as in the file (with the line break that ended it, if any). */
export interface ParsedRecord {
  readonly record: string[];
  readonly raw: string;
}

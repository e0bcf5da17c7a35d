import { writeToString } from '@fast-csv/format';
import { needsNeutralising, neutraliseCell } from '../common/csv-injection';
import { TABLE_SPECS, columnNames, isTableName } from '../common/tables';
import { IngestionReject } from './entities/ingestion-reject.entity';
import { Ingestion } from './entities/ingestion.entity';
import { parseRecord } from './pipeline/csv-parser';
import { SourceDescription } from './pipeline/pipeline.types';

/** Appended to every rejected row: where it failed and why. Drop these four columns and the file uploads again. */
const TRAILING_COLUMNS = ['column', 'error_code', 'message'] as const;
const LINE_BREAKS = { crlf: '\r\n', cr: '\r', lf: '\n' } as const;

/**
 * The rejected rows of an ingestion as a CSV file to fix and upload again.
 *
 * A CSV upload's rows come back exactly as they were in the file (same
 * delimiter, quoting, spacing), under the file's own header line (the
 * canonical column names when it had none), with the file's line breaks and
 * BOM. A batch's rows come back as CSV in canonical column order. Then line
 * (row, for a batch), column, error_code and message; several errors of one
 * row are joined with " | ".
 *
 * Nothing in it can run as a spreadsheet formula (OWASP CSV injection): the
 * four columns added here are neutralised, and so is any cell of a rejected
 * line that starts with =, +, -, @, tab or carriage return (that line alone is
 * re-written, with those cells prefixed by a single quote; every other line
 * stays byte for byte as in the file).
 */
export async function rejectsToCsv(ingestion: Ingestion, rejects: readonly IngestionReject[]): Promise<string> {
  const columns = isTableName(ingestion.tableName) ? columnNames(TABLE_SPECS[ingestion.tableName]) : [];
  const byLine = new Map<number, IngestionReject[]>();
  for (const reject of rejects) byLine.set(reject.line, [...(byLine.get(reject.line) ?? []), reject]);
  const trailing = (line: number, errors: IngestionReject[]): string[] =>
    [
      String(line),
      errors.map((e) => e.column ?? '').join(' | '),
      errors.map((e) => e.code).join(' | '),
      errors.map((e) => e.message).join(' | '),
    ].map(neutraliseCell);

  if (ingestion.sourceKind === 'batch') {
    const rows = [...byLine.entries()].map(([row, errors]) => [...cellsOf(errors[0].record, columns).map(neutraliseCell), ...trailing(row, errors)]);
    return writeToString([[...columns, 'row', ...TRAILING_COLUMNS], ...rows], { includeEndRowDelimiter: true });
  }

  const detected: SourceDescription = { format: 'csv', ...ingestion.detected };
  const delimiter = detected.delimiter ?? ',';
  const eol = LINE_BREAKS[detected.line_endings as keyof typeof LINE_BREAKS] ?? '\n';
  const format = (cells: readonly string[]): Promise<string> => writeToString([cells], { delimiter, rowDelimiter: eol });
  const safe = (text: string): Promise<string> => neutraliseLine(text, delimiter, format);
  const header = ingestion.headerLine === null ? await format(columns) : await safe(ingestion.headerLine);
  // A short row is padded with empty cells, so that line, column, error_code and message stay under their names.
  const width = parseRecord(header, delimiter).length;
  const padded = (text: string): string => text + delimiter.repeat(Math.max(0, width - parseRecord(text, delimiter).length));
  const lines = await Promise.all(
    [...byLine.entries()].map(
      async ([line, errors]) => `${padded(await safe(await originalLine(errors[0].record, format)))}${delimiter}${await format(trailing(line, errors))}`,
    ),
  );
  const headerLine = `${header}${delimiter}${await format(['line', ...TRAILING_COLUMNS])}`;
  return `${detected.bom ? '\uFEFF' : ''}${[headerLine, ...lines].join(eol)}${eol}`;
}

/** The record's text as in the file; older ingestions kept only its cells, written back with this file's delimiter. */
async function originalLine(record: string | null, format: (cells: readonly string[]) => Promise<string>): Promise<string> {
  const parsed: unknown = record === null ? '' : JSON.parse(record);
  if (typeof parsed === 'string') return parsed;
  return Array.isArray(parsed) ? format(parsed.map(String)) : '';
}

/**
 * The line as written, unless a cell of it would start a formula: then the
 * line is written again from its cells, those prefixed. The cells are the
 * ones the upload read (trimmed, unquoted), so ` =1` is caught as well.
 */
async function neutraliseLine(text: string, delimiter: string, format: (cells: readonly string[]) => Promise<string>): Promise<string> {
  const cells = parseRecord(text, delimiter);
  return cells.some(needsNeutralising) ? format(cells.map(neutraliseCell)) : text;
}

/** A batch row's cells in canonical order. */
function cellsOf(record: string | null, columns: readonly string[]): string[] {
  const parsed: unknown = record === null ? null : JSON.parse(record);
  if (typeof parsed !== 'object' || parsed === null) return columns.map(() => '');
  const values = parsed as Record<string, unknown>;
  return columns.map((c) => cellText(values[c]));
}

/** A JSON value as a cell: text as is, anything else as JSON (never "[object Object]"). */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

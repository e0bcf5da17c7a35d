import { writeToString } from '@fast-csv/format';
import { neutraliseCell } from './csv-injection';

/** Whether the client asked for CSV: format=csv, or an Accept header that prefers text/csv. */
export function wantsCsv(accept: string | undefined, format: string | undefined): boolean {
  if (format) return format === 'csv';
  return (accept ?? '').split(',').some((type) => type.trim().toLowerCase().startsWith('text/csv'));
}

/**
 * Rows as CSV with a header row, quoted only where needed; every cell that a
 * spreadsheet could take for a formula is neutralised (the names in a row
 * come from uploads).
 */
export function toCsv<T extends object>(columns: readonly (keyof T & string)[], rows: readonly T[]): Promise<string> {
  const body = rows.map((row) => columns.map((column) => csvCell(row[column])));
  return writeToString([columns.map(neutraliseCell), ...body], { includeEndRowDelimiter: true });
}

function csvCell(value: unknown): string {
  return value === null || value === undefined ? '' : neutraliseCell(String(value));
}

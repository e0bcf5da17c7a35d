import { writeToString } from '@fast-csv/format';

/** Whether the client asked for CSV: format=csv, or an Accept header that prefers text/csv. */
export function wantsCsv(accept: string | undefined, format: string | undefined): boolean {
  if (format) return format === 'csv';
  return (accept ?? '').split(',').some((type) => type.trim().toLowerCase().startsWith('text/csv'));
}

/** Rows as CSV with a header row, quoted only where needed. */
export function toCsv<T extends object>(columns: readonly (keyof T & string)[], rows: readonly T[]): Promise<string> {
  const body = rows.map((row) => columns.map((column) => row[column] as unknown));
  return writeToString([columns as readonly string[], ...body], { includeEndRowDelimiter: true });
}

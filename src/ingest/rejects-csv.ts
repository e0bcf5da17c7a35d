import { writeToString } from '@fast-csv/format';
import { TABLE_SPECS, TableName, isTableName } from '../common/tables';
import { IngestionReject } from './entities/ingestion-reject.entity';

export const REJECTS_TRAILING_COLUMNS = ['line', 'column', 'error_code', 'message'] as const;

/**
 * The rejected rows as CSV: the row's own cells in canonical order, then
 * where and why it failed. One line per rejected row; several errors on a
 * row are joined with " | ".
 */
export async function rejectsToCsv(table: string, rejects: readonly IngestionReject[]): Promise<string> {
  const columns = isTableName(table) ? TABLE_SPECS[table as TableName].columns.map((c) => c.name) : [];
  const byLine = new Map<number, IngestionReject[]>();
  for (const reject of rejects) byLine.set(reject.line, [...(byLine.get(reject.line) ?? []), reject]);
  const rows = [...byLine.entries()].map(([line, errors]) => [
    ...cellsOf(errors[0].record, columns),
    String(line),
    errors.map((e) => e.column ?? '').join(' | '),
    errors.map((e) => e.code).join(' | '),
    errors.map((e) => e.message).join(' | '),
  ]);
  return writeToString([[...columns, ...REJECTS_TRAILING_COLUMNS], ...rows], { quoteColumns: false, includeEndRowDelimiter: true });
}

function cellsOf(record: string | null, columns: readonly string[]): string[] {
  const parsed: unknown = record === null ? [] : JSON.parse(record);
  if (Array.isArray(parsed)) {
    // A short row is padded so that line, column, error_code and message stay in their columns.
    const cells = parsed.map(String);
    return cells.length < columns.length ? [...cells, ...Array<string>(columns.length - cells.length).fill('')] : cells;
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const values = parsed as Record<string, unknown>;
    return columns.map((c) => (values[c] === undefined || values[c] === null ? '' : String(values[c])));
  }
  return [];
}

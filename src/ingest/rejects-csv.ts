import { writeToString } from '@fast-csv/format';
import { TABLE_SPECS, columnNames, isTableName } from '../common/tables';
import { IngestionReject } from './entities/ingestion-reject.entity';

const TRAILING_COLUMNS = ['column', 'error_code', 'message'] as const;

/**
 * The rejected rows as CSV: the row's own cells in canonical order, then
 * where (line, or row for a batch) and why it failed. One line per rejected row; several errors on a
 * row are joined with " | ".
 */
export async function rejectsToCsv(table: string, sourceKind: string, rejects: readonly IngestionReject[]): Promise<string> {
  // A CSV row is placed by its line, a batch row by its index in `rows`.
  const position = sourceKind === 'batch' ? 'row' : 'line';
  const columns = isTableName(table) ? columnNames(TABLE_SPECS[table]) : [];
  const byLine = new Map<number, IngestionReject[]>();
  for (const reject of rejects) byLine.set(reject.line, [...(byLine.get(reject.line) ?? []), reject]);
  const rows = [...byLine.entries()].map(([line, errors]) => [
    ...cellsOf(errors[0].record, columns),
    String(line),
    errors.map((e) => e.column ?? '').join(' | '),
    errors.map((e) => e.code).join(' | '),
    errors.map((e) => e.message).join(' | '),
  ]);
  return writeToString([[...columns, position, ...TRAILING_COLUMNS], ...rows], { quoteColumns: false, includeEndRowDelimiter: true });
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
    return columns.map((c) => cellText(values[c]));
  }
  return [];
}

/** A JSON value as a cell: text as is, anything else as JSON (never "[object Object]"). */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

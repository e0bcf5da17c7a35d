import { FileFormatError } from '../../common/api-problem';
import { TableSpec, columnNames } from '../../common/tables';
import { normaliseHeader } from '../../config/normalise-header';

export const HEADER_OPTIONS = ['auto', 'true', 'false'] as const;
export type HeaderOption = (typeof HEADER_OPTIONS)[number];

/** How a file's cells map to the table's canonical columns. */
export interface CsvLayout {
  readonly header: boolean;
  /** For each canonical column, the index of its cell in a record. */
  readonly cellIndexes: readonly number[];
  /** Cells every record must have. */
  readonly width: number;
  /** Source header → canonical column (only when there is a header). */
  readonly columns?: Record<string, string>;
}

const INTEGER_LIKE = /^[+-]?\d+$/;

/** With header=auto a first record is a header when none of its cells is an integer: every data row starts with an integer id. */
export function isHeaderRecord(cells: readonly string[], option: HeaderOption): boolean {
  return option === 'true' || (option === 'auto' && !cells.some((c) => INTEGER_LIKE.test(c.trim())));
}

/**
 * Decides from the first record whether the file has a header and how its
 * columns map.
 */
export function resolveLayout(
  headerCells: readonly string[],
  line: number,
  spec: TableSpec,
  aliases: Readonly<Record<string, readonly string[]>>,
  option: HeaderOption,
): CsvLayout {
  const canonical = columnNames(spec);
  let firstCells = headerCells;
  if (!isHeaderRecord(firstCells, option)) {
    return { header: false, cellIndexes: canonical.map((_, i) => i), width: canonical.length };
  }

  // Spreadsheets often end every line with a delimiter: empty trailing header cells are no columns.
  let width = firstCells.length;
  while (width > 0 && firstCells[width - 1].trim() === '') width--;
  firstCells = firstCells.slice(0, width);

  const columnOfAlias = new Map<string, string>();
  for (const column of canonical) for (const alias of aliases[column] ?? [column]) columnOfAlias.set(alias, column);

  const indexOfColumn = new Map<string, number>();
  const columns: Record<string, string> = {};
  const unknown: string[] = [];
  firstCells.forEach((cell, index) => {
    const column = columnOfAlias.get(normaliseHeader(cell));
    if (!column) {
      unknown.push(cell.trim() === '' ? `(empty, column ${index + 1})` : `"${cell.trim()}"`);
      return;
    }
    const earlier = indexOfColumn.get(column);
    if (earlier !== undefined) {
      throw new FileFormatError(
        'duplicate_column',
        `line ${line}: headers "${firstCells[earlier].trim()}" and "${cell.trim()}" both map to column ${column}`,
        line,
        column,
      );
    }
    indexOfColumn.set(column, index);
    columns[cell.trim()] = column;
  });

  const missing = canonical.filter((c) => !indexOfColumn.has(c));
  if (unknown.length > 0 || missing.length > 0) {
    const parts = [
      unknown.length ? `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}` : '',
      missing.length ? `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
    ].filter(Boolean);
    const accepted = canonical.map((c) => `${c} (${(aliases[c] ?? [c]).join('|')})`).join(', ');
    const otherDelimiter = [';', '\t', '|'].find((d) => firstCells.some((cell) => cell.includes(d)));
    const hint = otherDelimiter
      ? ` The header looks ${JSON.stringify(otherDelimiter)}-delimited: send delimiter=${otherDelimiter === '\t' ? 'tab' : otherDelimiter}.`
      : '';
    throw new FileFormatError(
      unknown.length ? 'unknown_column' : 'missing_column',
      `line ${line}: ${parts.join('; ')} for ${spec.name}.${hint} Accepted headers: ${accepted}. ` +
        'A file without a header must use the canonical order; send header=false to force that.',
      line,
    );
  }
  return { header: true, cellIndexes: canonical.map((c) => indexOfColumn.get(c) as number), width, columns };
}

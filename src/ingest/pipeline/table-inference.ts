import { ApiProblem } from '../../common/api-problem';
import { TABLE_NAMES, TABLE_SPECS, TableName, columnNames } from '../../common/tables';
import { HeaderMappings } from '../../config/app-config';
import { HeaderOption, isHeaderRecord, resolveLayout } from './header-layout';

/** How the table of an upload that named none was chosen. */
export type TableInferredFrom = 'header' | 'column_count' | 'file_name';

export interface TableInference {
  readonly table: TableName;
  readonly from: TableInferredFrom;
}

/** Words in a file name that name a table, for files whose columns fit more than one. */
const FILE_NAME_HINTS: readonly [RegExp, TableName][] = [
  [/employ|hire/i, 'employees'],
  [/dep(ar)?t/i, 'departments'],
  [/job/i, 'jobs'],
];

/**
 * The table an upload's first record fits: a header whose names (with their
 * aliases) are exactly one table's columns, or a headerless record with one
 * table's column count (5: employees). Departments and jobs both have two
 * columns, so a headerless two-column file, or a header such as "id,name"
 * that both accept, is told apart by a table named in the file name
 * ("departments.csv"), and is refused when there is none: a guess could
 * load jobs into departments.
 */
export function inferTable(cells: readonly string[], option: HeaderOption, mappings: HeaderMappings, fileName: string): TableInference {
  if (cells.every((cell) => cell.trim() === '')) {
    throw new ApiProblem(400, 'table_not_inferred', `the table cannot be told from the file: line 1 is empty. Name it in a "table" field (${TABLE_NAMES.join(', ')}).`, { line: 1 });
  }
  const header = isHeaderRecord(cells, option);
  const fits = header ? TABLE_NAMES.filter((table) => headerFits(cells, table, mappings)) : tablesByWidth(cells);
  if (fits.length === 1) return { table: fits[0], from: header ? 'header' : 'column_count' };
  const named = FILE_NAME_HINTS.find(([pattern, table]) => fits.includes(table) && pattern.test(fileName))?.[1];
  if (fits.length > 1 && named) return { table: named, from: 'file_name' };

  const shown = cells.map((cell) => JSON.stringify(cell.trim())).join(', ');
  const why =
    fits.length > 1
      ? `line 1 (${shown}) fits ${fits.join(' and ')}, and the file name "${fileName}" names neither`
      : header
        ? `the header on line 1 (${shown}) is not the columns of any table (${TABLE_NAMES.map((t) => `${t}: ${columnNames(TABLE_SPECS[t]).join(', ')}`).join('; ')}; aliases in config/header_mappings.yaml)`
        : `line 1 has ${cells.length} cell${cells.length === 1 ? '' : 's'} and no header: a file without one has 2 columns (departments, jobs) or 5 (employees)`;
  throw new ApiProblem(400, 'table_not_inferred', `the table cannot be told from the file: ${why}. Name it in a "table" field (${TABLE_NAMES.join(', ')}).`, {
    line: 1,
    ...(fits.length > 1 ? { candidates: fits } : {}),
  });
}

function headerFits(cells: readonly string[], table: TableName, mappings: HeaderMappings): boolean {
  try {
    resolveLayout(cells, 1, TABLE_SPECS[table], mappings[table], 'true');
    return true;
  } catch {
    return false;
  }
}

/**
 * Tables with exactly as many columns as the record has cells; failing that,
 * as many as it has before its trailing empty cells (spreadsheets often end
 * every line with a delimiter). "4535,,,," is an employee with empty cells,
 * not a department.
 */
function tablesByWidth(cells: readonly string[]): TableName[] {
  const exact = TABLE_NAMES.filter((table) => TABLE_SPECS[table].columns.length === cells.length);
  if (exact.length > 0) return exact;
  let width = cells.length;
  while (width > 0 && cells[width - 1].trim() === '') width--;
  return TABLE_NAMES.filter((table) => TABLE_SPECS[table].columns.length === width);
}

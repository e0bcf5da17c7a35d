import { ApiProblem } from '../../common/api-problem';
import { TABLE_NAMES, TABLE_SPECS, TableName, columnNames } from '../../common/tables';
import { HeaderMappings } from '../../config/app-config';
import { HeaderOption, isHeaderRecord, resolveLayout } from './header-layout';

/** How the table of an upload that named none was chosen (recorded as detected.table_inferred_from). */
export type TableInferredFrom = 'header';

export interface TableInference {
  readonly table: TableName;
  readonly from: TableInferredFrom;
}

/**
 * The table whose columns an upload's header names: every header cell (with
 * its aliases) maps to a column of exactly one table, and every column of it
 * is there. Nothing else is guessed: a file without a header, or a header
 * two tables accept (departments and jobs both take "id,name"), must name
 * its table (400 missing_table), since a guess could load jobs into
 * departments.
 */
export function inferTable(cells: readonly string[], option: HeaderOption, mappings: HeaderMappings): TableInference {
  const refuse = (why: string, extensions: Record<string, unknown> = {}): never => {
    throw new ApiProblem(400, 'missing_table', `name the target table in a "table" field or query parameter (${TABLE_NAMES.join(', ')}): ${why}`, {
      line: 1,
      ...extensions,
    });
  };
  if (cells.every((cell) => cell.trim() === '')) refuse('line 1 is empty, so there is no header to tell it by');
  if (!isHeaderRecord(cells, option)) refuse('the file has no header to tell it by (line 1 is data)');
  const shown = cells.map((cell) => JSON.stringify(cell.trim())).join(', ');
  const fits = TABLE_NAMES.filter((table) => headerFits(cells, table, mappings));
  if (fits.length === 1) return { table: fits[0], from: 'header' };
  if (fits.length > 1) return refuse(`the header on line 1 (${shown}) fits ${fits.join(' and ')}`, { candidates: fits });
  const columns = TABLE_NAMES.map((t) => `${t}: ${columnNames(TABLE_SPECS[t]).join(', ')}`).join('; ');
  return refuse(`the header on line 1 (${shown}) is not the columns of any table (${columns}; aliases in config/header_mappings.yaml)`);
}

function headerFits(cells: readonly string[], table: TableName, mappings: HeaderMappings): boolean {
  try {
    resolveLayout(cells, 1, TABLE_SPECS[table], mappings[table], 'true');
    return true;
  } catch {
    return false;
  }
}

import type { TableName } from '../api/types';

/** How the table was chosen, for the form to say so. */
export interface InferredTable {
  readonly table: TableName | null;
  readonly reason: string;
}

const DELIMITERS = [',', ';', '|', '\t'];

/** The delimiter that splits the line into the most cells (quotes are rare in a first line). */
function splitCells(line: string): string[] {
  const delimiter = DELIMITERS.reduce((best, d) => (line.split(d).length > line.split(best).length ? d : best), ',');
  return line.split(delimiter).map((cell) => cell.trim().replace(/^"|"$/g, '').toLowerCase());
}

const byName = (text: string): TableName | null =>
  /employ|hire/.test(text) ? 'employees' : /depart/.test(text) ? 'departments' : /job/.test(text) ? 'jobs' : null;

/**
 * A guess at the table from the file's first line and name. The server has no
 * endpoint that infers it, and it decides the columns, so the guess is shown
 * and can be overridden. Employees have 5 columns; departments and jobs 2,
 * told apart by a header cell or else by the file name.
 */
export function inferTable(fileName: string, firstLine: string): InferredTable {
  const cells = splitCells(firstLine.replace(/^\uFEFF/, ''));
  if (cells.length >= 4) return { table: 'employees', reason: `${cells.length} columns` };
  if (cells.length === 2) {
    const fromHeader = byName(cells.join(' '));
    if (fromHeader && fromHeader !== 'employees') return { table: fromHeader, reason: `header "${cells.join(',')}"` };
    const fromName = byName(fileName.toLowerCase());
    if (fromName && fromName !== 'employees') return { table: fromName, reason: `2 columns, file name "${fileName}"` };
    return { table: null, reason: '2 columns: departments or jobs? Choose the table.' };
  }
  return { table: null, reason: `${cells.length} column${cells.length === 1 ? '' : 's'}: choose the table.` };
}

/** Reads only the start of the file: enough for a first line, whatever the file's size. */
export async function firstLineOf(file: Blob): Promise<string> {
  const head = await file.slice(0, 4096).text();
  return head.split(/\r\n|\n|\r/, 1)[0] ?? '';
}

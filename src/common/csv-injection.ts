/**
 * OWASP CSV injection: a spreadsheet reads a cell starting with one of these
 * as a formula (and a formula can run commands or send data away), even when
 * the cell is quoted. Tab and carriage return are on the list because some
 * spreadsheets strip them and then read what follows.
 */
const FORMULA_TRIGGERS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r']);

/** Whether a spreadsheet could take this cell for a formula. */
export function needsNeutralising(cell: string): boolean {
  return cell.length > 0 && FORMULA_TRIGGERS.has(cell[0]);
}

/**
 * The cell as a spreadsheet shows it as text: a leading single quote makes it
 * a literal. Every such cell is prefixed, a negative number like -5 too: an
 * export cannot tell a number from a formula such as -2+3+cmd|' /C calc'!A0
 * by its first character, and the service writes no negative numbers.
 */
export function neutraliseCell(cell: string): string {
  return needsNeutralising(cell) ? `'${cell}` : cell;
}

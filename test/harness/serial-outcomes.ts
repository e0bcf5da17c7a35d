import { EmployeeRow } from './ingest-helpers';

/**
 * What concurrent writers may leave behind: the table as if the ones that
 * succeeded had run one after the other, in some order. Any other table lost
 * or mixed rows.
 */

/** A table by id. */
export type Table = ReadonlyMap<number, EmployeeRow>;

/** One writer's effect on a table. */
export type Write = (table: Table) => Table;

export function tableOf(rows: readonly EmployeeRow[]): Table {
  return new Map(rows.map((row) => [row.id, row]));
}

export function rowsOf(table: Table): EmployeeRow[] {
  return [...table.values()].sort((a, b) => a.id - b.id);
}

/** An upload of `rows` in a mode, as it would apply alone (on_error=abort: every row is new for insert). */
export function upload(rows: readonly EmployeeRow[], mode: 'insert' | 'upsert' | 'skip'): Write {
  return (table) => {
    const next = new Map(table);
    for (const row of rows) {
      if (mode === 'skip' && next.has(row.id)) continue;
      if (mode === 'insert' && next.has(row.id)) throw new Error(`id ${row.id} exists: this order cannot have succeeded`);
      next.set(row.id, row);
    }
    return next;
  };
}

/** A restore of `rows`: replace empties the table first, merge overwrites by id. */
export function restore(rows: readonly EmployeeRow[], mode: 'replace' | 'merge'): Write {
  return (table) => {
    const next = new Map(mode === 'replace' ? [] : table);
    for (const row of rows) next.set(row.id, row);
    return next;
  };
}

/** Every table the writes could leave, one per order in which they could have committed. */
export function serialOutcomes(start: Table, writes: readonly Write[]): EmployeeRow[][] {
  if (writes.length === 0) return [rowsOf(start)];
  return writes.flatMap((write, i) => {
    let after: Table;
    try {
      after = write(start);
    } catch {
      return [];
    }
    return serialOutcomes(after, [...writes.slice(0, i), ...writes.slice(i + 1)]);
  });
}

/** The table after the writes, in this order. */
export function inOrder(start: Table, writes: readonly Write[]): EmployeeRow[] {
  return rowsOf(writes.reduce((table, write) => write(table), start));
}

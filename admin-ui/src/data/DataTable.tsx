import type { ComponentChildren } from 'preact';
import { TableScroll } from '../components/TableScroll';

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ComponentChildren;
  readonly numeric?: boolean;
}

/** Rows of any table, with a caption for screen readers and a horizontal scroll on narrow screens. */
export function DataTable<T extends { id: number }>({
  rows,
  columns,
  caption,
  testId = 'data-table',
}: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  caption: string;
  testId?: string;
}) {
  return (
    <TableScroll label={caption}>
      <table data-testid={testId}>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" class={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {columns.map((c) => (
                <td key={c.header} class={c.numeric ? 'num' : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

import type { RowError } from '../api/types';
import { TableScroll } from './TableScroll';

/** Row errors, one per line: where (line, or row of a batch), which column, the value, what is wrong. */
export function ErrorsTable({ errors, caption }: { errors: readonly RowError[]; caption: string }) {
  if (errors.length === 0) return null;
  return (
    <TableScroll label={caption}>
      <table class="errors">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Column</th>
            <th scope="col">Value</th>
            <th scope="col">Code</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((error, i) => (
            <tr key={`${error.line ?? error.row}-${error.column}-${i}`}>
              <td class="num">{error.line ?? (error.row !== undefined ? `row ${error.row}` : '–')}</td>
              <td>{error.column ?? <span class="muted">whole row</span>}</td>
              <td>
                <code>{error.value ?? ''}</code>
              </td>
              <td>
                <code>{error.code}</code>
              </td>
              <td>{error.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

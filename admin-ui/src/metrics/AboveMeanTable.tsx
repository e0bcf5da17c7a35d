import type { DepartmentHires } from '../api/types';
import { TableScroll } from '../components/TableScroll';

export function AboveMeanTable({ rows, year }: { rows: readonly DepartmentHires[]; year: number }) {
  return (
    <TableScroll label={`Departments above the mean number of hires in ${year}`}>
      <table data-testid="above-mean-table">
        <caption class="sr-only">Departments above the mean number of hires in {year}</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              Id
            </th>
            <th scope="col">Department</th>
            <th scope="col" class="num">
              Hired
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td class="num">{row.id}</td>
              <td>{row.department}</td>
              <td class="num">{row.hired}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

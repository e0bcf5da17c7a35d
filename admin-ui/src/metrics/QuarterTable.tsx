import type { QuarterHires } from '../api/types';
import { TableScroll } from '../components/TableScroll';
import { QUARTERS } from './by-department';

export function QuarterTable({ rows, year }: { rows: readonly QuarterHires[]; year: number }) {
  return (
    <TableScroll label={`Hires by department, job and quarter of ${year}`}>
      <table data-testid="quarter-table">
        <caption class="sr-only">Hires by department, job and quarter of {year}</caption>
        <thead>
          <tr>
            <th scope="col">Department</th>
            <th scope="col">Job</th>
            {QUARTERS.map((q) => (
              <th key={q} scope="col" class="num">
                {q}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.department}/${row.job}`}>
              <td>{row.department}</td>
              <td>{row.job}</td>
              {QUARTERS.map((q) => (
                <td key={q} class="num">
                  {row[q]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

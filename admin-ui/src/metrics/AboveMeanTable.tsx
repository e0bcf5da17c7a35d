import type { DepartmentHires } from '../api/types';
import { DataTable, type Column } from '../data/DataTable';

const COLUMNS: readonly Column<DepartmentHires>[] = [
  { header: 'Id', cell: (row) => row.id, numeric: true },
  { header: 'Department', cell: (row) => row.department },
  { header: 'Hired', cell: (row) => row.hired, numeric: true },
];

export function AboveMeanTable({ rows, year }: { rows: readonly DepartmentHires[]; year: number }) {
  return <DataTable rows={rows} columns={COLUMNS} caption={`Departments above the mean number of hires in ${year}`} testId="above-mean-table" />;
}

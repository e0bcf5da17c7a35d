import type { Department, Employee, Job } from '../api/types';
import { formatInstant } from '../lib/format';
import type { Column } from './DataTable';

export const DEPARTMENT_COLUMNS: readonly Column<Department>[] = [
  { header: 'Id', cell: (d) => d.id, numeric: true },
  { header: 'Department', cell: (d) => d.name },
];

export const JOB_COLUMNS: readonly Column<Job>[] = [
  { header: 'Id', cell: (j) => j.id, numeric: true },
  { header: 'Job', cell: (j) => j.title },
];

export const EMPLOYEE_COLUMNS: readonly Column<Employee>[] = [
  { header: 'Id', cell: (e) => e.id, numeric: true },
  { header: 'Name', cell: (e) => e.name },
  { header: 'Hired', cell: (e) => formatInstant(e.hire_date) },
  { header: 'Department id', cell: (e) => e.department_id, numeric: true },
  { header: 'Job id', cell: (e) => e.job_id, numeric: true },
];

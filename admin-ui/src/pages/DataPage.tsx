import { useState } from 'preact/hooks';
import { api, call, type Result } from '../api/client';
import { TABLES, type Department, type Employee, type Job, type TableName } from '../api/types';
import { DataTable } from '../data/DataTable';
import { DEPARTMENT_COLUMNS, EMPLOYEE_COLUMNS, JOB_COLUMNS } from '../data/columns';
import { EmployeeFilters, type EmployeeFilter } from '../data/EmployeeFilters';
import { Link } from '../components/Link';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/Pager';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../lib/useLoad';

const PAGE_SIZE = 50;

type Rows =
  | { readonly table: 'departments'; readonly items: Department[]; readonly total: number }
  | { readonly table: 'jobs'; readonly items: Job[]; readonly total: number }
  | { readonly table: 'employees'; readonly items: Employee[]; readonly total: number };

function tagged<T extends Rows['table'], P>(table: T, result: Result<P>): Result<P & { table: T }> {
  return result.ok ? { ...result, data: { ...result.data, table } } : result;
}

/** One table's page, by the read endpoint of that table. */
async function loadPage(table: TableName, offset: number, filter: EmployeeFilter): Promise<Result<Rows>> {
  const query = { limit: PAGE_SIZE, offset };
  if (table === 'departments') return tagged(table, await call(() => api.GET('/departments', { params: { query } })));
  if (table === 'jobs') return tagged(table, await call(() => api.GET('/jobs', { params: { query } })));
  return tagged(table, await call(() => api.GET('/employees', { params: { query: { ...query, ...filter } } })));
}

function RowsTable({ rows }: { rows: Rows }) {
  if (rows.table === 'departments') return <DataTable rows={rows.items} columns={DEPARTMENT_COLUMNS} caption="Departments" />;
  if (rows.table === 'jobs') return <DataTable rows={rows.items} columns={JOB_COLUMNS} caption="Jobs" />;
  return <DataTable rows={rows.items} columns={EMPLOYEE_COLUMNS} caption="Employees" />;
}

/** Departments, jobs and employees as loaded, a page at a time; employees with the API's filters. */
export function DataPage({ table }: { table: TableName }) {
  const [offset, setOffset] = useState(0);
  const [filter, setFilter] = useState<EmployeeFilter>({});
  const [shownTable, setShownTable] = useState(table);
  if (shownTable !== table) {
    // Another table: start at its first page, without the other's filters.
    setShownTable(table);
    setOffset(0);
    setFilter({});
  }
  const page = useLoad(() => loadPage(table, offset, filter), [table, offset, JSON.stringify(filter)]);

  return (
    <>
      <PageHeading>Data</PageHeading>
      <nav class="tabs" aria-label="Tables">
        {TABLES.map((t) => (
          <Link key={t} to={`/data/${t}`} current={t === table}>
            {t}
          </Link>
        ))}
      </nav>
      {table === 'employees' && (
        <EmployeeFilters
          onApply={(next) => {
            setFilter(next);
            setOffset(0);
          }}
        />
      )}
      {page.status === 'loading' && <Loading what={table} />}
      {page.status === 'error' && <ProblemAlert problem={page.problem} onRetry={page.reload} />}
      {page.status === 'ok' && (
        <>
          {page.data.total === 0 ? (
            <p>No {table} found.</p>
          ) : (
            <RowsTable rows={page.data} />
          )}
          <Pager offset={offset} limit={PAGE_SIZE} total={page.data.total} onOffset={setOffset} />
        </>
      )}
    </>
  );
}

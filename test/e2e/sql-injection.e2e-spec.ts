import { writeToString } from '@fast-csv/format';
import { get, postJson } from '../harness/http';
import { DataTable, expectReport, ingestCsv, postBatch, snapshot, tableRows, uploadCsv } from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

/**
 * Every value a request sends reaches SQL as a bound parameter (or as COPY
 * data, always quoted), never as statement text: names built to break out of
 * a string literal, LIKE wildcards, backslashes, placeholders and any Unicode
 * load as plain text, come back exactly as sent, and the tables survive.
 */
const HOSTILE = [
  "x'); DROP TABLE employees;--",
  "Robert'); DROP TABLE students;--",
  '" OR 1=1 --',
  "' OR ''='",
  "'; SELECT pg_sleep(5); --",
  '1; DELETE FROM departments',
  '%',
  '_',
  "%' OR name LIKE '%",
  '\\',
  'C:\\temp\\new\\',
  '\\.',
  '\\N',
  "\\'; DROP TABLE jobs; --",
  '$1',
  '$$; DROP TABLE jobs; $$',
  '?',
  ':name',
  'NULL',
  '/* comment */ --',
  'Zoë Ångström 日本語 👩‍💻 \u202Eevil',
  'a\u0301 e\u0301',
  '"quoted" and \'single\'',
  'line one\nline two',
  'semi;colon, comma',
];

describe('hostile names are plain text (SQL is always parameterised)', () => {
  const app = useTestApp();

  const departments = HOSTILE.map((name, i) => ({ id: i + 1, name }));
  const jobs = HOSTILE.map((title, i) => ({ id: i + 1, title: `${title} (job)` }));
  const employees = HOSTILE.map((name, i) => ({
    id: i + 1,
    name,
    hire_date: `2021-0${(i % 9) + 1}-15T10:00:00.000Z`,
    department_id: i + 1,
    job_id: ((i + 1) % HOSTILE.length) + 1,
  }));
  const csvOf = (rows: Record<string, unknown>[]): Promise<string> =>
    writeToString(rows, { headers: true, includeEndRowDelimiter: true, alwaysWriteHeaders: true });

  async function loadAll(viaCsv: boolean): Promise<void> {
    const half = Math.ceil(HOSTILE.length / 2);
    // Departments by CSV, jobs by batch, employees half each way: both paths see every kind of name.
    expectReport(await uploadCsv(app, 'departments', await csvOf(departments), { filename: "x'); DROP TABLE ingestions;--.csv" }), {
      inserted: HOSTILE.length,
      source: "x'); DROP TABLE ingestions;--.csv",
    });
    expectReport(await postBatch(app, 'jobs', { rows: jobs }), { inserted: HOSTILE.length });
    const [first, second] = viaCsv ? [employees.slice(0, half), employees.slice(half)] : [employees.slice(half), employees.slice(0, half)];
    expectReport(await uploadCsv(app, 'employees', await csvOf(first)), { inserted: first.length });
    expectReport(await postBatch(app, 'employees', { rows: second }, { 'idempotency-key': "k');DROP/**/TABLE/**/idempotency_keys;--" }), {
      inserted: second.length,
    });
  }

  async function expectTablesIntact(): Promise<void> {
    for (const table of ['departments', 'jobs', 'employees', 'ingestions', 'ingestion_rejects', 'idempotency_keys']) {
      await expect(app.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)).resolves.toHaveLength(1);
    }
    expect((await get(app.baseUrl, '/health')).status).toBe(200);
  }

  it.each([true, false])('stores every name verbatim (employees first half by CSV: %s) and the tables survive', async (viaCsv) => {
    await loadAll(viaCsv);
    await expectTablesIntact();
    expect(await snapshot(app)).toEqual({ departments, jobs, employees });
  });

  it('upserts and skips by hostile names without touching other rows', async () => {
    await loadAll(true);
    // Each upsert sets a name that matches every other row if it were pasted into a WHERE clause.
    const renamed = departments.map((d) => ({ id: d.id, name: `${d.name}' OR '1'='1` }));
    expectReport(await uploadCsv(app, 'departments', await csvOf(renamed), { query: { mode: 'upsert' } }), { updated: HOSTILE.length });
    expectReport(await postBatch(app, 'jobs', { mode: 'skip', rows: jobs.map((j) => ({ ...j, title: "' OR 1=1; --" })) }), { skipped: HOSTILE.length });
    expect(await tableRows(app, 'departments')).toEqual(renamed);
    expect(await tableRows(app, 'jobs')).toEqual(jobs);
    await expectTablesIntact();
  });

  it('answers the names verbatim through every GET and filter', async () => {
    await loadAll(true);
    const page = async (table: DataTable): Promise<unknown[]> => (await get(app.baseUrl, `/${table}?limit=1000`)).body.items;
    expect(await page('departments')).toEqual(departments);
    expect(await page('jobs')).toEqual(jobs);
    expect(await page('employees')).toEqual(employees);
    for (const employee of employees) {
      expect((await get(app.baseUrl, `/employees/${employee.id}`)).body).toEqual(employee);
      expect((await get(app.baseUrl, `/employees?department_id=${employee.department_id}&job_id=${employee.job_id}`)).body.items).toEqual([employee]);
    }
    expect((await get(app.baseUrl, '/departments/1')).body).toEqual(departments[0]);
    expect((await get(app.baseUrl, '/jobs/2')).body).toEqual(jobs[1]);

    const quarters = (await get(app.baseUrl, '/metrics/hiring_by_quarter?year=2021')).body as { department: string; job: string }[];
    expect(quarters.map((q) => q.department).sort()).toEqual([...HOSTILE].sort());
    const byDepartment = (await get(app.baseUrl, '/metrics/hiring_by_quarter?year=2021&department_id=1')).body;
    expect(byDepartment).toEqual([expect.objectContaining({ department: HOSTILE[0], job: jobs[1].title })]);

    const ingestions = (await get(app.baseUrl, '/ingestions?table=departments')).body.items;
    expect(ingestions[0].source).toBe("x'); DROP TABLE ingestions;--.csv");
  });

  it.each([
    "/employees?department_id=1 OR 1=1",
    "/employees?department_id=1;DROP TABLE employees",
    "/employees?job_id=%27)%3B%20DROP%20TABLE%20employees%3B--",
    "/employees?hired_from=2021-01-01' OR '1'='1",
    '/employees?hired_to=2021-01-01%27--',
    '/employees?limit=1;DELETE FROM employees',
    '/employees?offset=0 UNION SELECT 1',
    '/ingestions?table=employees; DROP TABLE employees',
    "/ingestions?status=' OR 1=1 --",
    '/metrics/hiring_by_quarter?year=2021 OR 1=1',
    "/metrics/hiring_by_quarter?department_id=1') --",
    '/employees/1%20OR%201=1',
    '/departments/1;DROP TABLE departments',
  ])('refuses %s with 400 and keeps every row', async (path) => {
    await loadAll(true);
    const res = await get(app.baseUrl, path.replaceAll(' ', '%20'));
    expect(res.status).toBe(400);
    await expectTablesIntact();
    expect(await snapshot(app)).toEqual({ departments, jobs, employees });
  });

  it('refuses hostile table names and options in bodies and form fields with 400, and keeps every row', async () => {
    await loadAll(true);
    const evil = 'employees; DROP TABLE jobs; --';
    const answers = [
      await postJson(app.baseUrl, '/backups', { tables: [evil] }),
      await postJson(app.baseUrl, '/departments/batch', { mode: "upsert'; DELETE FROM departments; --", rows: departments.slice(0, 1) }),
      await ingestCsv(app, 'id,name\n1,Sales\n', { fields: { table: evil } }),
      await ingestCsv(app, 'id,name\n1,Sales\n', { query: { table: 'departments', mode: evil } }),
      await get(app.baseUrl, `/backups/1/files/${encodeURIComponent(evil)}`),
    ];
    expect(answers.map((res) => res.status)).toEqual([400, 400, 400, 400, 400]);
    await expectTablesIntact();
    expect(await snapshot(app)).toEqual({ departments, jobs, employees });
  });
});

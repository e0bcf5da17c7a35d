import { get } from '../harness/http';
import { BASE_REFERENCES, EMPTY_SNAPSHOT, csv, dataFile, expectProblem, ingestCsv, seed, snapshot, tableRows } from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

/** POST /ingest/csv without a "table": the service tells the table from the file's header, and only from it. */
describe('POST /ingest/csv infers the table from the header when none is named', () => {
  const app = useTestApp();

  it('reads a header of aliases, with a BOM, semicolons and CRLF, as employees, and says so in the report and the audit trail', async () => {
    await seed(app, BASE_REFERENCES);
    const file = '\uFEFFEmp ID;Full Name;datetime;Dept ID;Job\r\n7;Ada;2021-03-01T10:00:00Z;1;1\r\n';
    const res = await ingestCsv(app, file, { filename: 'export.csv', query: { delimiter: ';' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ table: 'employees', inserted: 1, detected: { header: true, bom: true, table_inferred_from: 'header' } });
    expect(await tableRows(app, 'employees')).toEqual([expect.objectContaining({ id: 7, name: 'Ada', department_id: 1, job_id: 1 })]);
    expect((await get(app.baseUrl, `/ingestions/${res.body.id}`)).body.detected.table_inferred_from).toBe('header');
  });

  it.each([
    ['department_id,department', 'departments'],
    ['job_id,job_title', 'jobs'],
  ])('tells %j from its header (%s), whatever the file is called', async (header, table) => {
    const res = await ingestCsv(app, csv(header, '1,First'), { filename: 'departments_and_jobs.csv' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ table, inserted: 1, detected: { table_inferred_from: 'header' } });
  });

  it('a table named in a field or the query is used as named, with no inference', async () => {
    const res = await ingestCsv(app, csv('1,Sales'), { filename: 'jobs.csv', fields: { table: 'departments' } });
    expect(res.status).toBe(201);
    expect(res.body.table).toBe('departments');
    expect(res.body.detected.table_inferred_from).toBeUndefined();
  });

  it.each([
    ['the sample departments.csv (no header)', dataFile('departments.csv'), 'departments.csv', /no header/],
    ['the sample hired_employees.csv (no header)', dataFile('hired_employees.csv'), 'hired_employees.csv', /no header/],
    ['a header two tables accept', csv('id,name', '1,x'), 'departments.csv', /fits departments and jobs/],
    ['a header of no table', csv('foo,bar', '1,x'), 'departments.csv', /not the columns of any table/],
    ['an empty file', '', 'departments.csv', /line 1 is empty/],
  ])('refuses %s with 400 missing_table, nothing written and no ingestion recorded', async (_label, file, filename, detail) => {
    const res = await ingestCsv(app, file, { filename });
    expectProblem(res, 400, '/problems/missing_table');
    expect(res.body.line).toBe(1);
    expect(res.body.detail).toMatch(detail);
    expect(await snapshot(app)).toEqual(EMPTY_SNAPSHOT);
    expect((await get(app.baseUrl, '/ingestions')).body.total).toBe(0);
  });

  it('infers the table of an async upload and of a dry run', async () => {
    const dry = await ingestCsv(app, csv('department_id,department', '1,Sales'), { query: { dry_run: 'true' } });
    expect(dry.status).toBe(201);
    expect(dry.body).toMatchObject({ table: 'departments', dry_run: true, inserted: 1 });
    expect(await tableRows(app, 'departments')).toEqual([]);

    const accepted = await ingestCsv(app, csv('department_id,department', '1,Sales'), { query: { async: 'true' } });
    expect(accepted.status).toBe(202);
    expect(accepted.body.table).toBe('departments');
    for (let i = 0; i < 400 && (await tableRows(app, 'departments')).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await tableRows(app, 'departments')).toEqual([{ id: 1, name: 'Sales' }]);
  });

  it('replays an Idempotency-Key of an inferred upload, and loads once', async () => {
    const headers = { 'idempotency-key': 'inferred-1' };
    const first = await ingestCsv(app, csv('dept_id,dept_name', '1,Sales'), { headers });
    const again = await ingestCsv(app, csv('dept_id,dept_name', '1,Sales'), { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect((await get(app.baseUrl, '/ingestions')).body.total).toBe(1);
  });
});

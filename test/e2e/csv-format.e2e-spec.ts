import { useTestApp } from '../harness/test-app';
import { get } from '../harness/http';
import {
  BASE_REFERENCES,
  EMPTY_SNAPSHOT,
  csv,
  errorCodes,
  expectProblem,
  expectReport,
  expectRowsRejected,
  fixture,
  ingestionRecords,
  seed,
  snapshot,
  tableRows,
  uploadCsv,
} from '../harness/ingest-helpers';

describe('CSV format: headers, dialect and line numbers', () => {
  const app = useTestApp();

  /** Uploads a file that must be refused as a whole, and checks that nothing was written. */
  async function expectFileRefused(table: 'departments' | 'jobs' | 'employees', body: string, type: string, query = {}) {
    const before = await snapshot(app);
    const res = await uploadCsv(app, table, body, { query });
    expectProblem(res, 400, type);
    await expect(snapshot(app)).resolves.toEqual(before);
    return res;
  }

  describe('headers', () => {
    it('reads a headerless employees file in canonical order id,name,hire_date,department_id,job_id', async () => {
      await seed(app, BASE_REFERENCES);
      const res = await uploadCsv(app, 'employees', csv('5,Grace Hopper,2021-03-01T09:00:00Z,2,1'));

      expectReport(res, { status: 'succeeded', inserted: 1, detected: { header: false } });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 5, name: 'Grace Hopper', hire_date: '2021-03-01T09:00:00.000Z', department_id: 2, job_id: 1 },
      ]);
    });

    it('maps header aliases from config/header_mappings.yaml in any column order', async () => {
      await seed(app, BASE_REFERENCES);
      const body = csv('job_id,datetime,department,employee,emp_id', '1,2021-07-27T16:02:08Z,2,Ada Lovelace,9');
      const res = await uploadCsv(app, 'employees', body);

      expectReport(res, {
        status: 'succeeded',
        inserted: 1,
        detected: {
          header: true,
          columns: { job_id: 'job_id', datetime: 'hire_date', department: 'department_id', employee: 'name', emp_id: 'id' },
        },
      });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 9, name: 'Ada Lovelace', hire_date: '2021-07-27T16:02:08.000Z', department_id: 2, job_id: 1 },
      ]);
    });

    it("maps 'department' to name for departments and 'job_title' to title for jobs", async () => {
      const depts = await uploadCsv(app, 'departments', csv('department,department_id', 'Research,4'));
      const jobs = await uploadCsv(app, 'jobs', csv('job_title,job_id', 'Analyst,8'));

      expectReport(depts, { inserted: 1, detected: { header: true, columns: { department: 'name', department_id: 'id' } } });
      expectReport(jobs, { inserted: 1, detected: { header: true, columns: { job_title: 'title', job_id: 'id' } } });
      await expect(snapshot(app)).resolves.toEqual({
        departments: [{ id: 4, name: 'Research' }],
        jobs: [{ id: 8, title: 'Analyst' }],
        employees: [],
      });
    });

    it('matches headers ignoring case, surrounding spaces, and spaces or dashes for underscores', async () => {
      const res = await uploadCsv(app, 'departments', csv('  Dept-ID , Department Name ', '3,Legal'));

      expectReport(res, { inserted: 1, detected: { header: true, columns: { 'Dept-ID': 'id', 'Department Name': 'name' } } });
      await expect(tableRows(app, 'departments')).resolves.toEqual([{ id: 3, name: 'Legal' }]);
    });

    it('refuses unknown header cells with a 400 naming them', async () => {
      await seed(app, BASE_REFERENCES);
      const res = await expectFileRefused(
        'employees',
        csv('id,nombre,hire_date,department_id,job_id,salary', '1,Ada,2021-01-01,1,1,100'),
        '/problems/unknown_column',
      );

      expect(res.body.line).toBe(1);
      expect(res.body.detail).toContain('"nombre"');
      expect(res.body.detail).toContain('"salary"');
    });

    it('refuses a header with missing columns with a 400 naming them', async () => {
      await seed(app, BASE_REFERENCES);
      const res = await expectFileRefused('employees', csv('id,name,hire_date', '1,Ada,2021-01-01'), '/problems/missing_column');

      expect(res.body.line).toBe(1);
      expect(res.body.detail).toContain('department_id');
      expect(res.body.detail).toContain('job_id');
      expect(res.body.detail).not.toMatch(/missing columns?[^;.]*hire_date/);
    });

    it('refuses two headers that map to the same column', async () => {
      await seed(app, BASE_REFERENCES);
      const res = await expectFileRefused(
        'employees',
        csv('id,name,datetime,hire_date,department_id,job_id', '1,Ada,2021-01-01,2021-01-01,1,1'),
        '/problems/duplicate_column',
      );

      expect(res.body).toMatchObject({ line: 1, column: 'hire_date' });
      expect(res.body.detail).toContain('"datetime"');
      expect(res.body.detail).toContain('"hire_date"');
    });

    it('records a failed ingestion for a refused header', async () => {
      const res = await expectFileRefused('departments', csv('code,label', '1,Sales'), '/problems/unknown_column');

      expect(res.body.ingestion_id).toEqual(expect.any(Number));
      await expect(ingestionRecords(app)).resolves.toEqual([
        expect.objectContaining({ id: res.body.ingestion_id, table_name: 'departments', status: 'failed', inserted: 0 }),
      ]);
    });

    it('header=false reads the first row as data even when it looks like a header', async () => {
      const res = await uploadCsv(app, 'departments', csv('id,name', '1,Sales'), { query: { header: 'false' } });

      const errors = expectRowsRejected(res);
      expect(errors).toEqual([
        { line: 1, column: 'id', value: 'id', code: 'invalid_integer', message: expect.stringContaining('whole number') },
      ]);
      expect(res.body.report.detected).toMatchObject({ header: false });
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('header=false with on_error=skip loads the rows after the header-like line', async () => {
      const res = await uploadCsv(app, 'departments', csv('dept_id,dept_name', '1,Sales'), {
        query: { header: 'false', on_error: 'skip' },
      });

      expectReport(res, { status: 'succeeded_with_rejects', rows_read: 2, inserted: 1, rejected: 1 });
      expect(errorCodes(res.body.errors)).toEqual([{ at: 1, column: 'id', code: 'invalid_integer' }]);
      await expect(tableRows(app, 'departments')).resolves.toEqual([{ id: 1, name: 'Sales' }]);
    });

    it('header=true reads the first row as a header even when it looks like data', async () => {
      const res = await expectFileRefused('departments', csv('1,Sales', '2,Support'), '/problems/unknown_column', {
        header: 'true',
      });

      expect(res.body.detail).toContain('"1"');
      expect(res.body.detail).toContain('"Sales"');
    });

    it('header=true accepts a real header', async () => {
      const res = await uploadCsv(app, 'jobs', csv('title,id', 'Analyst,1'), { query: { header: 'true' } });

      expectReport(res, { inserted: 1, detected: { header: true } });
      await expect(tableRows(app, 'jobs')).resolves.toEqual([{ id: 1, title: 'Analyst' }]);
    });
  });

  describe('dialect', () => {
    it('reads RFC 4180 quoting: delimiters, doubled quotes and newlines inside quoted fields', async () => {
      const body = csv('1,"Sales, EMEA"', '2,"The ""Best"" Team"', '3,"Research', 'and Development"', '4,"""Quoted"""');
      const res = await uploadCsv(app, 'departments', body);

      expectReport(res, { status: 'succeeded', rows_read: 4, inserted: 4 });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales, EMEA' },
        { id: 2, name: 'The "Best" Team' },
        { id: 3, name: 'Research\nand Development' },
        { id: 4, name: '"Quoted"' },
      ]);
    });

    it('drops a UTF-8 byte order mark before a headerless first row', async () => {
      const body = Buffer.from(`\uFEFF${csv('1,Sales', '2,Support')}`, 'utf8');
      const res = await uploadCsv(app, 'departments', body);

      expectReport(res, { status: 'succeeded', inserted: 2, detected: { bom: true, header: false, bytes: body.length } });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales' },
        { id: 2, name: 'Support' },
      ]);
    });

    it('drops a UTF-8 byte order mark before a header', async () => {
      const res = await uploadCsv(app, 'jobs', `\uFEFFid,title\n1,Analyst\n`);

      expectReport(res, { inserted: 1, detected: { bom: true, header: true, columns: { id: 'id', title: 'title' } } });
      await expect(tableRows(app, 'jobs')).resolves.toEqual([{ id: 1, title: 'Analyst' }]);
    });

    it('reads CRLF line endings', async () => {
      await seed(app, BASE_REFERENCES);
      const res = await uploadCsv(app, 'employees', 'id,name,hire_date,department_id,job_id\r\n1,Ada,2021-01-01,1,1\r\n2,Bob,2021-01-02,2,2\r\n');

      expectReport(res, { status: 'succeeded', inserted: 2 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 1, name: 'Ada', hire_date: '2021-01-01T00:00:00.000Z', department_id: 1, job_id: 1 },
        { id: 2, name: 'Bob', hire_date: '2021-01-02T00:00:00.000Z', department_id: 2, job_id: 2 },
      ]);
    });

    it('ignores blank and whitespace-only lines anywhere, without counting them as rows', async () => {
      const res = await uploadCsv(app, 'departments', '\n\nid,name\n\n1,Sales\n   \n\n2,Support\n\n\n');

      expectReport(res, { status: 'succeeded', rows_read: 2, inserted: 2, detected: { header: true } });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales' },
        { id: 2, name: 'Support' },
      ]);
    });

    it('reads a last line without a trailing newline', async () => {
      const res = await uploadCsv(app, 'departments', '1,Sales\n2,Support');

      expectReport(res, { rows_read: 2, inserted: 2 });
      await expect(tableRows(app, 'departments')).resolves.toHaveLength(2);
    });

    it('trims whitespace around cells, quoted or not', async () => {
      await seed(app, BASE_REFERENCES);
      const body = csv('  id , name ,hire_date,department_id,job_id', ' 7 ,  Ada Lovelace  , 2021-01-01 ,  1 , 2 ', '8,"  Bob  ",2021-01-02,2,1');
      const res = await uploadCsv(app, 'employees', body);

      expectReport(res, { status: 'succeeded', inserted: 2 });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 7, name: 'Ada Lovelace', hire_date: '2021-01-01T00:00:00.000Z', department_id: 1, job_id: 2 },
        { id: 8, name: 'Bob', hire_date: '2021-01-02T00:00:00.000Z', department_id: 2, job_id: 1 },
      ]);
    });

    const delimiters: [string, string, string][] = [
      ['semicolon', ';', ';'],
      ['pipe', '|', '|'],
      ['the word "tab"', 'tab', '\t'],
      ['a literal tab', '\t', '\t'],
    ];

    it.each(delimiters)('reads delimiter=%s from the query', async (_label, option, char) => {
      const body = csv(['id', 'name'].join(char), ['1', 'Sales, EMEA'].join(char), ['2', '"Split' + char + 'Name"'].join(char));
      const res = await uploadCsv(app, 'departments', body, { query: { delimiter: option } });

      expectReport(res, { status: 'succeeded', inserted: 2, detected: { delimiter: char, header: true } });
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales, EMEA' },
        { id: 2, name: `Split${char}Name` },
      ]);
    });

    it.each(delimiters)('reads delimiter=%s from a multipart field', async (_label, option, char) => {
      const res = await uploadCsv(app, 'jobs', csv(['3', 'Analyst, Senior'].join(char)), { fields: { delimiter: option } });

      expectReport(res, { inserted: 1, detected: { delimiter: char } });
      await expect(tableRows(app, 'jobs')).resolves.toEqual([{ id: 3, title: 'Analyst, Senior' }]);
    });

    it('rejects an unsupported delimiter with a 400 and writes nothing', async () => {
      const res = await uploadCsv(app, 'departments', csv('1:Sales'), { query: { delimiter: ':' } });

      expectProblem(res, 400, '/problems/invalid_request');
      expect(res.body.detail).toContain('delimiter');
      await expect(snapshot(app)).resolves.toEqual(EMPTY_SNAPSHOT);
    });

    it('round-trips non-ASCII text', async () => {
      await uploadCsv(app, 'departments', csv('1,東京', '2,Zürich & Genève', '3,Ünïcödé 👩‍💻'));
      await uploadCsv(app, 'jobs', csv('1,Ingeniera de Señales', '2,Инженер'));
      const res = await uploadCsv(app, 'employees', csv('1,José Müller,2021-01-01,1,1', '2,王小明,2021-01-02,2,2', '3,Zoë Ōkubo,2021-01-03,3,1'));

      expectReport(res, { inserted: 3 });
      await expect(snapshot(app)).resolves.toEqual({
        departments: [
          { id: 1, name: '東京' },
          { id: 2, name: 'Zürich & Genève' },
          { id: 3, name: 'Ünïcödé 👩‍💻' },
        ],
        jobs: [
          { id: 1, title: 'Ingeniera de Señales' },
          { id: 2, title: 'Инженер' },
        ],
        employees: [
          { id: 1, name: 'José Müller', hire_date: '2021-01-01T00:00:00.000Z', department_id: 1, job_id: 1 },
          { id: 2, name: '王小明', hire_date: '2021-01-02T00:00:00.000Z', department_id: 2, job_id: 2 },
          { id: 3, name: 'Zoë Ōkubo', hire_date: '2021-01-03T00:00:00.000Z', department_id: 3, job_id: 1 },
        ],
      });
      await expect(get(app.baseUrl, '/departments/1')).resolves.toMatchObject({ status: 200, body: { name: '東京' } });
      await expect(get(app.baseUrl, '/employees/1')).resolves.toMatchObject({ status: 200, body: { name: 'José Müller' } });
    });

    it('reads a large multi-byte file that arrives in many network chunks and is written in many chunks', async () => {
      const count = 5000;
      const lines = Array.from({ length: count }, (_, i) => `${i + 1},東京支社 第${i + 1}課 – Zürich`);
      const body = Buffer.from(csv('id,name', ...lines), 'utf8');
      const res = await uploadCsv(app, 'departments', body);

      expectReport(res, { status: 'succeeded', rows_read: count, inserted: count, detected: { bytes: body.length } });
      const rows = await tableRows(app, 'departments');
      expect(rows).toHaveLength(count);
      expect(rows.every((row) => row.name === `東京支社 第${row.id}課 – Zürich`)).toBe(true);
    });

    it('loads a spreadsheet export: BOM, CRLF, aliased headers, quotes, blank lines and padding', async () => {
      await seed(app, BASE_REFERENCES);
      const file = fixture('employees_excel.csv');
      const res = await uploadCsv(app, 'employees', file, { filename: 'employees_excel.csv' });

      expectReport(res, {
        source: 'employees_excel.csv',
        status: 'succeeded',
        rows_read: 3,
        inserted: 3,
        detected: {
          format: 'csv',
          header: true,
          bom: true,
          delimiter: ',',
          bytes: file.length,
          columns: { 'Dept ID': 'department_id', 'Full Name': 'name', Job: 'job_id', 'Hired At': 'hire_date', 'Employee-ID': 'id' },
        },
      });
      await expect(tableRows(app, 'employees')).resolves.toEqual([
        { id: 10, name: 'Müller, José', hire_date: '2021-07-27T16:02:08.000Z', department_id: 1, job_id: 2 },
        { id: 11, name: '東京 "Tokyo" Office\r\nAnnex', hire_date: '2022-01-01T04:30:00.000Z', department_id: 2, job_id: 1 },
        { id: 12, name: 'Zoë Ōkubo', hire_date: '2021-07-27T00:00:00.000Z', department_id: 1, job_id: 1 },
      ]);
    });
  });

  describe('line numbers are physical 1-based lines of the file', () => {
    it('counts the header, blank lines and the extra lines of multi-line quoted fields', async () => {
      const body = [
        'id,name', //                       line 1
        '1,Sales', //                       line 2
        '', //                              line 3
        '2,"Research', //                   line 4
        'and Development"', //              line 5
        'x,Bad id', //                      line 6
        '   ', //                           line 7
        '3,"Three', //                      line 8
        'line', //                          line 9
        'name"', //                         line 10
        '4,', //                            line 11
        '5,Too,many', //                    line 12
      ].join('\n');
      const res = await uploadCsv(app, 'departments', `${body}\n`, { query: { on_error: 'skip' } });

      expectReport(res, { status: 'succeeded_with_rejects', rows_read: 6, inserted: 3, rejected: 3 });
      expect(errorCodes(res.body.errors)).toEqual([
        { at: 6, column: 'id', code: 'invalid_integer' },
        { at: 11, column: 'name', code: 'required' },
        { at: 12, column: null, code: 'wrong_column_count' },
      ]);
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales' },
        { id: 2, name: 'Research\nand Development' },
        { id: 3, name: 'Three\nline\nname' },
      ]);
    });

    it('counts lines the same way with CRLF endings', async () => {
      const body = 'id,name\r\n1,"a\r\nb"\r\n\r\nzz,c\r\n';
      const res = await uploadCsv(app, 'departments', body, { query: { on_error: 'skip' } });

      expectReport(res, { rows_read: 2, inserted: 1, rejected: 1 });
      expect(errorCodes(res.body.errors)).toEqual([{ at: 5, column: 'id', code: 'invalid_integer' }]);
    });

    it('counts lines the same way with bare CR endings', async () => {
      const res = await uploadCsv(app, 'departments', 'id,name\r1,Sales\r\r2,\r3,"a\rb"\r4,Ops\r', { query: { on_error: 'skip' } });

      expectReport(res, { rows_read: 4, inserted: 3, rejected: 1 });
      expect(errorCodes(res.body.errors)).toEqual([{ at: 4, column: 'name', code: 'required' }]);
      await expect(tableRows(app, 'departments')).resolves.toEqual([
        { id: 1, name: 'Sales' },
        { id: 3, name: 'a\rb' },
        { id: 4, name: 'Ops' },
      ]);
    });

    it('starts at line 1 for a headerless file, and a BOM does not shift lines', async () => {
      const res = await uploadCsv(app, 'departments', `\uFEFF${csv('0,Zero', '1,One', '2,')}`, { query: { on_error: 'skip' } });

      expectReport(res, { rows_read: 3, inserted: 1, rejected: 2 });
      expect(errorCodes(res.body.errors)).toEqual([
        { at: 1, column: 'id', code: 'out_of_range' },
        { at: 3, column: 'name', code: 'required' },
      ]);
    });

    it('reports the line of each row error in the 422 of an aborted upload', async () => {
      await seed(app, BASE_REFERENCES);
      const file = fixture('employees_excel.csv').toString('utf8').replace('2021-12-31T23:30:00-05:00', 'soon');
      const res = await uploadCsv(app, 'employees', file);

      const errors = expectRowsRejected(res);
      expect(errors).toEqual([{ line: 4, column: 'hire_date', value: 'soon', code: 'invalid_date', message: expect.any(String) }]);
      await expect(tableRows(app, 'employees')).resolves.toEqual([]);
    });
  });
});

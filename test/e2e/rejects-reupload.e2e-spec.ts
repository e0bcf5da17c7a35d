import { writeToString } from '@fast-csv/format';
import { parse } from 'csv-parse/sync';
import { BASE_REFERENCES, expectReport, seed, tableRows, uploadCsv } from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

/**
 * GET /ingestions/{id}/rejects is a file to fix and upload again: the
 * rejected lines exactly as they were (delimiter, quoting, spacing, line
 * breaks, BOM), then line, column, error_code and message.
 */
describe('rejects ready to fix', () => {
  const app = useTestApp();

  // A spreadsheet export: BOM, semicolons, CRLF, aliased headers, quoted cells holding the delimiter.
  const HEADER = 'Employee ID;Full Name;Hired At;Dept ID;Job';
  const GOOD = ['1;"Lovelace; Ada";2021-01-05T00:00:00Z;1;1', '3;Grace;2021-03-05T00:00:00Z;2;2'];
  const BAD = ['2; "Turing, Alan" ;2021-02-30T00:00:00Z;1;1', '4;"Hopper ""Amazing"" Grace";2021-04-05T00:00:00Z;9;2'];
  const FILE = `\uFEFF${[HEADER, GOOD[0], BAD[0], GOOD[1], BAD[1]].join('\r\n')}\r\n`;

  /** The body as sent: a decoder would drop the BOM. */
  async function rejectsOf(id: number): Promise<string> {
    const res = await fetch(`${app.baseUrl}/ingestions/${id}/rejects`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    return Buffer.from(await res.arrayBuffer()).toString('utf8');
  }

  it('returns each rejected line byte for byte, under the file\'s header, with its BOM and line breaks', async () => {
    await seed(app, BASE_REFERENCES);
    const upload = await uploadCsv(app, 'employees', FILE, { query: { on_error: 'skip', delimiter: ';' } });
    expectReport(upload, { inserted: 2, rejected: 2 });

    const text = await rejectsOf(upload.body.id);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(`${HEADER};line;column;error_code;message`);
    expect(lines[1].startsWith(`${BAD[0]};3;hire_date;invalid_date;`)).toBe(true);
    expect(lines[2].startsWith(`${BAD[1]};5;department_id;unknown_department;`)).toBe(true);
    expect(lines).toHaveLength(4);
  });

  it('uploads again once the cells are fixed and the last four columns dropped, as a spreadsheet would', async () => {
    await seed(app, BASE_REFERENCES);
    const upload = await uploadCsv(app, 'employees', FILE, { query: { on_error: 'skip', delimiter: ';' } });
    // Read as a spreadsheet reads it: spaces around a quoted cell are not data.
    const records: string[][] = parse(await rejectsOf(upload.body.id), { delimiter: ';', bom: true, trim: true });

    // The user fixes the date of line 3 and the department of line 5, then deletes line, column, error_code, message.
    const [header, ...rows] = records.map((record) => record.slice(0, -4));
    expect(header).toEqual(HEADER.split(';'));
    rows[0][2] = '2021-02-28T00:00:00Z';
    rows[1][3] = '2';
    const fixed = await writeToString([header, ...rows], { delimiter: ';', rowDelimiter: '\r\n' });

    const again = await uploadCsv(app, 'employees', fixed, { query: { delimiter: ';' } });
    expectReport(again, { status: 'succeeded', inserted: 2, rejected: 0 });
    expect(await tableRows(app, 'employees')).toEqual([
      { id: 1, name: 'Lovelace; Ada', hire_date: '2021-01-05T00:00:00.000Z', department_id: 1, job_id: 1 },
      { id: 2, name: 'Turing, Alan', hire_date: '2021-02-28T00:00:00.000Z', department_id: 1, job_id: 1 },
      { id: 3, name: 'Grace', hire_date: '2021-03-05T00:00:00.000Z', department_id: 2, job_id: 2 },
      { id: 4, name: 'Hopper "Amazing" Grace', hire_date: '2021-04-05T00:00:00.000Z', department_id: 2, job_id: 2 },
    ]);
  });

  it('gives a headerless legacy file\'s rows back under the canonical header, which the upload recognises', async () => {
    await seed(app, BASE_REFERENCES);
    const upload = await uploadCsv(app, 'employees', '1,Ada,2021-01-05,1,1\n2,Bob,not a date,1,1\n', { query: { on_error: 'skip' } });
    const text = await rejectsOf(upload.body.id);
    expect(text.split('\n')[0]).toBe('id,name,hire_date,department_id,job_id,line,column,error_code,message');
    expect(text.split('\n')[1].startsWith('2,Bob,not a date,1,1,2,hire_date,invalid_date,')).toBe(true);

    const fixed = text.replace('not a date', '2021-02-05').split('\n').map((line) => line.split(',').slice(0, 5).join(',')).join('\n');
    expectReport(await uploadCsv(app, 'employees', fixed), { inserted: 1 });
    expect((await tableRows(app, 'employees')).map((e) => e.id)).toEqual([1, 2]);
  });

  it('keeps a rejected line that spans several lines (a quoted line break) whole', async () => {
    const upload = await uploadCsv(app, 'departments', 'id,name\n1,"Research\nand Development"\nx,"Sales\nEMEA"\n', { query: { on_error: 'skip' } });
    expectReport(upload, { inserted: 1, rejected: 1 });
    const text = await rejectsOf(upload.body.id);
    expect(text.startsWith('id,name,line,column,error_code,message\nx,"Sales\nEMEA",4,id,invalid_integer,')).toBe(true);
  });
});

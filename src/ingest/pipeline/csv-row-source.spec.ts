import { createHash } from 'node:crypto';
import 'reflect-metadata';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { ApiProblem, FileFormatError } from '../../common/api-problem';
import { TABLE_SPECS, TableName } from '../../common/tables';
import { HeaderMappings } from '../../config/app-config';
import { loadConfig } from '../../config/load-config';
import { CsvRowSource, CsvSourceOptions } from './csv-row-source';
import { HeaderOption } from './header-layout';
import { SourceRow } from './pipeline.types';

const CONFIG_DIR = resolve(__dirname, '../../../config');
const LIMIT = 1024 * 1024;

describe(CsvRowSource.name, () => {
  let mappings: HeaderMappings;

  beforeAll(() => {
    mappings = loadConfig({ CONFIG_DIR }).headerMappings;
  });

  function source(
    table: TableName,
    content: string | Buffer,
    options: Partial<CsvSourceOptions> & { header?: HeaderOption } = {},
  ): CsvRowSource {
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    return new CsvRowSource(Readable.from(bytes), TABLE_SPECS[table], mappings[table], {
      header: 'auto',
      delimiter: ',',
      maxBytes: LIMIT,
      ...options,
    });
  }

  async function collect(rowSource: CsvRowSource): Promise<SourceRow[]> {
    const rows: SourceRow[] = [];
    for await (const batch of rowSource.rows()) rows.push(...batch);
    return rows;
  }

  describe('headers', () => {
    it('detects a header, maps it and skips it', async () => {
      const text = 'id,name\n1,Sales\n2, Finance \n';
      const csv = source('departments', text);
      await expect(collect(csv)).resolves.toEqual([
        { position: { kind: 'line', at: 2 }, values: ['1', 'Sales'], raw: '1,Sales' },
        { position: { kind: 'line', at: 3 }, values: ['2', 'Finance'], raw: '2, Finance ' },
      ]);
      expect(csv.describe()).toEqual({
        format: 'csv',
        header: true,
        columns: { id: 'id', name: 'name' },
        delimiter: ',',
        bom: false,
        line_endings: 'lf',
        bytes: Buffer.byteLength(text),
        sha256: createHash('sha256').update(text).digest('hex'),
        header_line: 'id,name',
      });
    });

    it('reorders aliased columns into canonical order', async () => {
      const csv = source('employees', 'Job,Dept ID,Hired At,Full Name,Employee ID\n2,1,2021-07-27T16:02:08Z,Ann,10\n');
      await expect(collect(csv)).resolves.toEqual([
        {
          position: { kind: 'line', at: 2 },
          values: ['10', 'Ann', '2021-07-27T16:02:08Z', '1', '2'],
          // raw is the line as written, in the file's own column order: the rejects file gives it back under the file's header
          raw: '2,1,2021-07-27T16:02:08Z,Ann,10',
        },
      ]);
      expect(csv.describe().columns).toEqual({
        Job: 'job_id',
        'Dept ID': 'department_id',
        'Hired At': 'hire_date',
        'Full Name': 'name',
        'Employee ID': 'id',
      });
    });

    it('reads a headerless file in canonical order from line 1', async () => {
      const csv = source('employees', '1,Ann,2021-07-27T16:02:08Z,1,2\n2,Bob,2021-07-28,3,4\n');
      const rows = await collect(csv);
      expect(rows.map((r) => [r.position.at, r.values])).toEqual([
        [1, ['1', 'Ann', '2021-07-27T16:02:08Z', '1', '2']],
        [2, ['2', 'Bob', '2021-07-28', '3', '4']],
      ]);
      expect(csv.describe()).toMatchObject({ header: false, columns: undefined });
    });

    it('header=false reads a header-looking first row as data', async () => {
      const csv = source('departments', 'id,name\n1,Sales\n', { header: 'false' });
      const rows = await collect(csv);
      expect(rows.map((r) => r.values)).toEqual([
        ['id', 'name'],
        ['1', 'Sales'],
      ]);
      expect(csv.describe().header).toBe(false);
    });

    it('header=true rejects an integer first row as unknown columns', async () => {
      await expect(collect(source('departments', '1,Sales\n', { header: 'true' }))).rejects.toMatchObject({
        code: 'unknown_column',
        extensions: { line: 1 },
      });
    });

    it('finds the header after leading blank lines and reports its line', async () => {
      await expect(collect(source('departments', '\n\nid,nom\n1,Sales\n'))).rejects.toMatchObject({
        code: 'unknown_column',
        extensions: { line: 3 },
      });
    });

    it('maps a header that followed a BOM and reports the BOM', async () => {
      const csv = source('departments', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name\n1,Sales\n')]));
      const rows = await collect(csv);
      expect(rows).toHaveLength(1);
      expect(csv.describe()).toMatchObject({ header: true, columns: { id: 'id', name: 'name' }, bom: true, bytes: 19 });
    });

    it('uses the configured delimiter', async () => {
      const csv = source('departments', 'id;name\n1;Sales, EMEA\n', { delimiter: ';' });
      await expect(collect(csv)).resolves.toEqual([{ position: { kind: 'line', at: 2 }, values: ['1', 'Sales, EMEA'], raw: '1;Sales, EMEA' }]);
      expect(csv.describe().delimiter).toBe(';');
    });

    it('reads a tab-separated file', async () => {
      const csv = source('jobs', 'job_id\tjob_title\n7\tEngineer\n', { delimiter: '\t' });
      await expect(collect(csv)).resolves.toEqual([{ position: { kind: 'line', at: 2 }, values: ['7', 'Engineer'], raw: '7\tEngineer' }]);
    });
  });

  describe('rows', () => {
    it('reports a row with the wrong number of cells as a row error, and goes on', async () => {
      const rows = await collect(source('departments', 'id,name\n1,Sales\n2,Finance,extra\n3\n4,Legal\n'));
      expect(rows).toEqual([
        { position: { kind: 'line', at: 2 }, values: ['1', 'Sales'], raw: '1,Sales' },
        {
          position: { kind: 'line', at: 3 },
          values: null,
          raw: '2,Finance,extra',
          error: { line: 3, column: null, value: null, code: 'wrong_column_count', message: 'expected 2 columns, found 3' },
        },
        {
          position: { kind: 'line', at: 4 },
          values: null,
          raw: '3',
          error: { line: 4, column: null, value: null, code: 'wrong_column_count', message: 'expected 2 columns, found 1' },
        },
        { position: { kind: 'line', at: 5 }, values: ['4', 'Legal'], raw: '4,Legal' },
      ]);
    });

    it('checks the column count of a headerless file against the table', async () => {
      const rows = await collect(source('employees', '1,Ann,2021-01-01,1\n'));
      expect(rows[0].error).toMatchObject({ line: 1, code: 'wrong_column_count', message: 'expected 5 columns, found 4' });
    });

    it('reports the physical line of rows after quoted newlines, blank lines and empty rows', async () => {
      const rows = await collect(source('departments', 'id,name\n1,"Research\nand Development"\n\n,\n2,Sales\n'));
      expect(rows.map((r) => [r.position.at, r.values])).toEqual([
        [2, ['1', 'Research\nand Development']],
        [6, ['2', 'Sales']],
      ]);
    });

    it('leaves values unchecked (typing happens later)', async () => {
      const rows = await collect(source('departments', '0,\t\nabc,x\n', { header: 'false' }));
      expect(rows.map((r) => r.values)).toEqual([
        ['0', ''],
        ['abc', 'x'],
      ]);
    });
  });

  describe('empty files', () => {
    it.each([
      ['an empty file', ''],
      ['blank lines only', '\n\r\n\n'],
      ['rows of empty cells only', ',\n , \n'],
      ['a BOM only', Buffer.from([0xef, 0xbb, 0xbf])],
    ])('rejects %s as empty_file', async (_label, content) => {
      const result = collect(source('departments', content));
      await expect(result).rejects.toBeInstanceOf(FileFormatError);
      await expect(result).rejects.toMatchObject({ status: 400, code: 'empty_file' });
    });

    it('rejects a header without data rows as no_data_rows', async () => {
      const csv = source('departments', 'id,name\n\n');
      const result = collect(csv);
      await expect(result).rejects.toBeInstanceOf(FileFormatError);
      await expect(result).rejects.toMatchObject({ status: 400, code: 'no_data_rows' });
      expect(csv.describe()).toMatchObject({ header: true, columns: { id: 'id', name: 'name' }, bytes: 9 });
    });

    it('accepts a headerless file of one row', async () => {
      await expect(collect(source('departments', '1,Sales'))).resolves.toHaveLength(1);
    });
  });

  describe('stream failures', () => {
    it('passes on a file format error from the parser', async () => {
      await expect(collect(source('departments', 'id,name\n1,"Sales\n'))).rejects.toMatchObject({ code: 'unterminated_quote' });
    });

    it('passes on an encoding error with its line', async () => {
      const bytes = Buffer.concat([Buffer.from('id,name\n1,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
      await expect(collect(source('departments', bytes))).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 2 } });
    });

    it('passes on the size limit', async () => {
      const result = collect(source('departments', 'id,name\n1,Sales\n', { maxBytes: 8 }));
      await expect(result).rejects.toBeInstanceOf(ApiProblem);
      await expect(result).rejects.toMatchObject({ status: 413 });
    });
  });

  describe('describe()', () => {
    it('knows only the dialect before reading', () => {
      expect(source('departments', 'id,name\n1,Sales\n', { delimiter: ';' }).describe()).toEqual({
        format: 'csv',
        header: undefined,
        columns: undefined,
        delimiter: ';',
        bom: false,
        bytes: 0,
      });
    });
  });
});

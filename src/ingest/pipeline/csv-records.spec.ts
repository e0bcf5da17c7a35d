import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { ApiProblem, FileFormatError } from '../../common/api-problem';
import { CsvRecord, CsvStats, batchesOf, readCsvRecords } from './csv-records';

const LIMIT = 1024 * 1024;

async function readWithText(
  input: string | Buffer | Readable,
  delimiter = ',',
  maxBytes = LIMIT,
  stats: CsvStats = { bytes: 0, bom: false },
): Promise<CsvRecord[]> {
  const stream = input instanceof Readable ? input : Readable.from(Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8'));
  const records: CsvRecord[] = [];
  for await (const batch of readCsvRecords(stream, delimiter, maxBytes, stats)) records.push(...batch);
  return records;
}

/** Line and cells only: most tests are about those. */
async function read(...args: Parameters<typeof readWithText>): Promise<Omit<CsvRecord, 'raw'>[]> {
  return (await readWithText(...args)).map(({ line, cells }) => ({ line, cells }));
}

describe(readCsvRecords.name, () => {
  it('keeps each record\'s text as written (quotes, spaces, embedded line breaks), without the line break that ends it', async () => {
    const file = 'id;name\r\n1; "Sales; EMEA" \r\n2;"multi\nline"\n3;say ""hi""\r4;"a\r\n"\r\n5;last';
    const records = await readWithText(file, ';');
    expect(records.map((r) => r.raw)).toEqual(['id;name', '1; "Sales; EMEA" ', '2;"multi\nline"', '3;say ""hi""', '4;"a\r\n"', '5;last']);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 5, 6, 8]);
  });

  it('yields each record with its 1-based line and raw cells', async () => {
    await expect(read('id,name\n1,Sales\n2,Finance\n')).resolves.toEqual([
      { line: 1, cells: ['id', 'name'] },
      { line: 2, cells: ['1', 'Sales'] },
      { line: 3, cells: ['2', 'Finance'] },
    ]);
  });

  it('reads a last record without a trailing newline', async () => {
    await expect(read('1,Sales\n2,Finance')).resolves.toEqual([
      { line: 1, cells: ['1', 'Sales'] },
      { line: 2, cells: ['2', 'Finance'] },
    ]);
  });

  it('drops whitespace around cells, quoted ones included, but keeps it inside quotes', async () => {
    await expect(read(' 1 ,  Sales \n2, "Sales, EMEA" ,x\n3," padded "\n')).resolves.toEqual([
      { line: 1, cells: ['1', 'Sales'] },
      { line: 2, cells: ['2', 'Sales, EMEA', 'x'] },
      { line: 3, cells: ['3', ' padded '] },
    ]);
  });

  it('handles CRLF line endings', async () => {
    await expect(read('id,name\r\n1,Sales\r\n2,Finance\r\n')).resolves.toEqual([
      { line: 1, cells: ['id', 'name'] },
      { line: 2, cells: ['1', 'Sales'] },
      { line: 3, cells: ['2', 'Finance'] },
    ]);
  });

  it('counts the physical lines of quoted fields that span lines', async () => {
    const csv = 'id,name\n1,"Research\nand\nDevelopment"\n2,Sales\n3,"multi\nline"\n4,Legal\n';
    await expect(read(csv)).resolves.toEqual([
      { line: 1, cells: ['id', 'name'] },
      { line: 2, cells: ['1', 'Research\nand\nDevelopment'] },
      { line: 5, cells: ['2', 'Sales'] },
      { line: 6, cells: ['3', 'multi\nline'] },
      { line: 8, cells: ['4', 'Legal'] },
    ]);
  });

  it('counts quoted CRLF newlines as one line each', async () => {
    const csv = 'id,name\r\n1,"a\r\nb"\r\n2,c\r\n';
    await expect(read(csv)).resolves.toEqual([
      { line: 1, cells: ['id', 'name'] },
      { line: 2, cells: ['1', 'a\r\nb'] },
      { line: 4, cells: ['2', 'c'] },
    ]);
  });

  it('unescapes doubled quotes and keeps delimiters inside quotes', async () => {
    await expect(read('1,"Say ""hi"", then, leave"\n')).resolves.toEqual([{ line: 1, cells: ['1', 'Say "hi", then, leave'] }]);
  });

  it('skips blank lines but still counts them', async () => {
    await expect(read('\nid,name\n\n1,Sales\n\n\n2,Finance\n\n')).resolves.toEqual([
      { line: 2, cells: ['id', 'name'] },
      { line: 4, cells: ['1', 'Sales'] },
      { line: 7, cells: ['2', 'Finance'] },
    ]);
  });

  it('skips blank CRLF lines but still counts them', async () => {
    await expect(read('id,name\r\n\r\n1,Sales\r\n')).resolves.toEqual([
      { line: 1, cells: ['id', 'name'] },
      { line: 3, cells: ['1', 'Sales'] },
    ]);
  });

  it('skips rows whose cells are all empty or blank, but still counts them', async () => {
    await expect(read('id,name\n,\n , \n"",""\n1,Sales\n')).resolves.toEqual([
      { line: 1, cells: ['id', 'name'] },
      { line: 5, cells: ['1', 'Sales'] },
    ]);
  });

  it('counts the embedded newlines of a skipped row of empty quoted cells', async () => {
    await expect(read('1,a\n"\n",""\n2,b\n')).resolves.toEqual([
      { line: 1, cells: ['1', 'a'] },
      { line: 4, cells: ['2', 'b'] },
    ]);
  });

  it('keeps a row with one non-empty cell', async () => {
    await expect(read(',x\n')).resolves.toEqual([{ line: 1, cells: ['', 'x'] }]);
  });

  it('yields nothing for an empty input or one of only blank lines', async () => {
    await expect(read('')).resolves.toEqual([]);
    await expect(read('\n\r\n\n')).resolves.toEqual([]);
  });

  it('keeps rows of any width (the layout checks the column count)', async () => {
    await expect(read('1,a\n2\n3,b,c\n')).resolves.toEqual([
      { line: 1, cells: ['1', 'a'] },
      { line: 2, cells: ['2'] },
      { line: 3, cells: ['3', 'b', 'c'] },
    ]);
  });

  it('decodes multi-byte text split across input chunks', async () => {
    const bytes = Buffer.from('1,Zoë 😀\n2,東京\n', 'utf8');
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    await expect(read(Readable.from(chunks))).resolves.toEqual([
      { line: 1, cells: ['1', 'Zoë 😀'] },
      { line: 2, cells: ['2', '東京'] },
    ]);
  });

  describe('delimiters', () => {
    it('splits on ";"', async () => {
      await expect(read('id;name\n1;"Sales; EMEA"\n2;Finance,Ops\n', ';')).resolves.toEqual([
        { line: 1, cells: ['id', 'name'] },
        { line: 2, cells: ['1', 'Sales; EMEA'] },
        { line: 3, cells: ['2', 'Finance,Ops'] },
      ]);
    });

    it('splits on tab', async () => {
      await expect(read('id\tname\n1\tSales, EMEA\n2\t"Fin\tance"\n', '\t')).resolves.toEqual([
        { line: 1, cells: ['id', 'name'] },
        { line: 2, cells: ['1', 'Sales, EMEA'] },
        { line: 3, cells: ['2', 'Fin\tance'] },
      ]);
    });

    it('skips rows of only empty cells with a tab delimiter too', async () => {
      await expect(read('1\ta\n\t\n2\tb\n', '\t')).resolves.toEqual([
        { line: 1, cells: ['1', 'a'] },
        { line: 3, cells: ['2', 'b'] },
      ]);
    });
  });

  describe('structural errors', () => {
    it('reports an unterminated quote as a FileFormatError naming the line it opens on', async () => {
      const result = read('id,name\n1,Sales\n2,"Finance\n3,Legal\n');
      await expect(result).rejects.toBeInstanceOf(FileFormatError);
      await expect(result).rejects.toMatchObject({
        status: 400,
        code: 'unterminated_quote',
        extensions: { line: 3 },
        detail: expect.stringMatching(/^line 3: /),
      });
    });

    it('names the right line for an unterminated quote after multi-line fields and blank lines', async () => {
      await expect(read('1,"a\nb"\n\n2,c\n3,"never closed')).rejects.toMatchObject({
        code: 'unterminated_quote',
        extensions: { line: 5 },
      });
    });

    it('reports an unterminated quote on line 1', async () => {
      await expect(read('"id,name\n1,Sales\n')).rejects.toMatchObject({ code: 'unterminated_quote', extensions: { line: 1 } });
    });

    it('reports text after a closing quote as malformed_csv naming the line', async () => {
      await expect(read('1,a\n2,"b"x\n')).rejects.toMatchObject({
        status: 400,
        code: 'malformed_csv',
        extensions: { line: 2 },
      });
    });

    it('passes an encoding error through with the line the guard found', async () => {
      const bytes = Buffer.concat([Buffer.from('id,name\n1,Sales\n2,'), Buffer.from([0xff]), Buffer.from('\n')]);
      await expect(read(bytes)).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 3 } });
    });

    it('passes the size limit through as a 413', async () => {
      const result = read('1,Sales\n2,Finance\n', ',', 10);
      await expect(result).rejects.toBeInstanceOf(ApiProblem);
      await expect(result).rejects.toMatchObject({ status: 413, code: 'payload_too_large' });
    });
  });

  describe('stats', () => {
    it('reports bytes read and the absence of a BOM', async () => {
      const stats: CsvStats = { bytes: 0, bom: false };
      await read('id,name\n1,Sales\n', ',', LIMIT, stats);
      expect(stats).toEqual({ bytes: 16, bom: false, lineEndings: 'lf', sha256: createHash('sha256').update('id,name\n1,Sales\n').digest('hex') });
    });

    it('reports a BOM, strips it from the first cell and counts its bytes', async () => {
      const stats: CsvStats = { bytes: 0, bom: false };
      const records = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name\n1,Sales\n')]), ',', LIMIT, stats);
      expect(records[0]).toEqual({ line: 1, cells: ['id', 'name'] });
      expect(stats).toMatchObject({ bytes: 19, bom: true, lineEndings: 'lf' });
    });

    it('fills the stats even when the consumer stops early', async () => {
      const stats: CsvStats = { bytes: 0, bom: false };
      const input = Readable.from(Buffer.from('id,name\n1,Sales\n2,Finance\n'));
      for await (const batch of readCsvRecords(input, ',', LIMIT, stats)) {
        expect(batch[0].line).toBe(1);
        break;
      }
      expect(stats.bytes).toBeGreaterThan(0);
    });
  });
});

describe(batchesOf.name, () => {
  async function collect(stream: Readable): Promise<number[][]> {
    const batches: number[][] = [];
    for await (const batch of batchesOf<number>(stream)) batches.push(batch);
    return batches;
  }

  it('yields every object once, in order, in batches of what was buffered', async () => {
    const stream = new PassThrough({ objectMode: true });
    const reading = collect(stream);
    for (let i = 0; i < 100; i++) stream.write(i);
    setImmediate(() => {
      stream.write(100);
      stream.end();
    });
    const batches = await reading;
    expect(batches.flat()).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(batches.length).toBeLessThan(101);
  });

  it('ends at once on an empty stream', async () => {
    expect(await collect(Readable.from([]))).toEqual([]);
  });

  it('fails with the error of a stream destroyed with one', async () => {
    const stream = new PassThrough({ objectMode: true });
    stream.write(1);
    setImmediate(() => stream.destroy(new Error('boom')));
    await expect(collect(stream)).rejects.toThrow('boom');
  });

  it('fails when the stream closes before it ends', async () => {
    const stream = new PassThrough({ objectMode: true });
    setImmediate(() => stream.destroy());
    await expect(collect(stream)).rejects.toThrow(/premature close/i);
  });
});

import { Readable } from 'node:stream';
import { FileFormatError } from '../../common/api-problem';
import { MAX_RECORD_BYTES, MAX_RECORD_CELLS, RecordFramer } from './record-framer';

/** Feeds `chunks` through a framer; returns what it passed on and its failure. */
async function frame(chunks: (string | Buffer)[], delimiter = ','): Promise<{ output: string; failure: FileFormatError | null; pieces: string[] }> {
  const framer = new RecordFramer(delimiter.charCodeAt(0));
  const pieces: string[] = [];
  const push = framer.push.bind(framer);
  framer.push = (chunk: Buffer | null) => {
    if (chunk) pieces.push(chunk.toString('utf8'));
    return push(chunk);
  };
  Readable.from(chunks.map((c) => Buffer.from(c))).pipe(framer);
  for await (const _ of framer);
  return { output: pieces.join(''), failure: framer.failure, pieces };
}

describe(RecordFramer.name, () => {
  it('passes a well-formed file through unchanged, whatever the chunking', async () => {
    const text = 'id,name\r\n1,"Sales, ""EMEA"""\n2,"multi\nline"\r3,x\n';
    for (let cut = 1; cut < text.length; cut++) {
      const { output, failure } = await frame([text.slice(0, cut), text.slice(cut)]);
      expect(failure).toBeNull();
      expect(output).toBe(text);
    }
  });

  it('only ever passes complete records downstream', async () => {
    const { pieces } = await frame(['1,ab', 'c\n2,"x', '\ny"\n3,z']);
    expect(pieces).toEqual(['1,abc\n', '2,"x\ny"\n', '3,z']);
  });

  it('keeps CR LF together across a chunk boundary', async () => {
    const { pieces, output } = await frame(['1,a\r', '\n2,b\r\n']);
    expect(output).toBe('1,a\r\n2,b\r\n');
    // fast-csv would read a CR at the end of one piece and an LF at the start of the next as two rows.
    expect(pieces.some((piece) => piece.endsWith('\r') || piece.startsWith('\n'))).toBe(false);
  });

  it('names the line a never-closed quote opens on, after passing the records before it', async () => {
    const { output, failure } = await frame(['id,name\n1,Sales\n\n2,"Finance\n3,Legal\n']);
    expect(output).toBe('id,name\n1,Sales\n\n');
    expect(failure).toMatchObject({ code: 'unterminated_quote', extensions: { line: 4 } });
  });

  it('names the line of text after a closing quote, counting lines inside earlier quoted fields', async () => {
    const { output, failure } = await frame(['1,"a\nb"\n2,"b"x\n3,c\n']);
    expect(output).toBe('1,"a\nb"\n');
    expect(failure).toMatchObject({ code: 'malformed_csv', extensions: { line: 3 } });
  });

  it('accepts spaces around quoted fields and quotes inside unquoted ones, as fast-csv does', async () => {
    const { failure } = await frame(['1, "q" ,2\n3,O"Brien,4\n']);
    expect(failure).toBeNull();
  });

  it('uses the configured delimiter', async () => {
    expect((await frame(['1;"a";2\n'], ';')).failure).toBeNull();
    expect((await frame(['1\t"a"\t2\n'], '\t')).failure).toBeNull();
    expect((await frame(['1;"a",2\n'], ';')).failure).toMatchObject({ code: 'malformed_csv' });
  });

  it('stops a record that grows past the limit', async () => {
    const { failure } = await frame(['1,"', 'x'.repeat(MAX_RECORD_BYTES + 10)]);
    expect(failure).toMatchObject({ code: 'record_too_long', extensions: { line: 1 } });
  });

  // Found by the fuzz test: the limit was only applied to the part of a record held between chunks.
  it.each([
    ['in one chunk', (text: string) => [text]],
    ['ending in the chunk that takes it past the limit', (text: string) => [text.slice(0, MAX_RECORD_BYTES - 10), text.slice(MAX_RECORD_BYTES - 10)]],
  ])('stops a complete record past the limit %s, after passing the records before it', async (_label, chunks) => {
    const text = `1,a\n2,${'x'.repeat(MAX_RECORD_BYTES)}\n3,c\n`;
    const { output, failure } = await frame(chunks(text));
    expect(output).toBe('1,a\n');
    expect(failure).toMatchObject({ code: 'record_too_long', extensions: { line: 2 } });
  });

  it('passes a record of exactly the limit', async () => {
    const text = `1,${'x'.repeat(MAX_RECORD_BYTES - 2)}\n`;
    const { output, failure } = await frame([text.slice(0, 1000), text.slice(1000)]);
    expect(failure).toBeNull();
    expect(output).toBe(text);
  });

  it('stops a record of more cells than the limit, counting delimiters outside quotes only', async () => {
    const atLimit = `${','.repeat(MAX_RECORD_CELLS - 1)}\n`;
    expect((await frame([atLimit, `"${','.repeat(MAX_RECORD_CELLS)}"\n`])).failure).toBeNull();
    const { output, failure } = await frame([atLimit, `1,a\n${';'.repeat(5)}\n`, `${','.repeat(MAX_RECORD_CELLS)}\n`]);
    expect(output).toBe(`${atLimit}1,a\n;;;;;\n`);
    expect(failure).toMatchObject({ code: 'too_many_cells', extensions: { line: 4 } });
  });
});

import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { FIRST_LINE_MAX_BYTES, peekFirstLine } from './first-line';

/** A stream of the given chunks, as an upload arrives: in pieces that split lines and characters anywhere. */
const chunked = (...chunks: (string | Buffer)[]): Readable => Readable.from(chunks.map((c) => (Buffer.isBuffer(c) ? c : Buffer.from(c))));

describe(peekFirstLine.name, () => {
  it('finds the first line across chunks and still streams every byte from the start', async () => {
    const peeked = await peekFirstLine(chunked('id,na', 'me\r\n1,A', 'da\n2,Bo'));
    expect(peeked.firstLine).toBe('id,name');
    await expect(text(peeked.stream)).resolves.toBe('id,name\r\n1,Ada\n2,Bo');
  });

  it('reads a file of one line without a line break, and an empty file', async () => {
    const one = await peekFirstLine(chunked('id,name'));
    expect(one.firstLine).toBe('id,name');
    await expect(text(one.stream)).resolves.toBe('id,name');
    const empty = await peekFirstLine(chunked());
    expect(empty.firstLine).toBe('');
    await expect(text(empty.stream)).resolves.toBe('');
  });

  it('stops reading at FIRST_LINE_MAX_BYTES without a line break, and keeps the rest for the pipeline', async () => {
    const long = 'x'.repeat(FIRST_LINE_MAX_BYTES * 2);
    const peeked = await peekFirstLine(chunked(long.slice(0, FIRST_LINE_MAX_BYTES), long.slice(FIRST_LINE_MAX_BYTES), '\nnext'));
    expect(peeked.firstLine).toHaveLength(FIRST_LINE_MAX_BYTES);
    await expect(text(peeked.stream)).resolves.toBe(`${long}\nnext`);
  });

  it('keeps a multi-byte character split between chunks intact', async () => {
    const bytes = Buffer.from('name,Ärzte\n1,x');
    const peeked = await peekFirstLine(chunked(bytes.subarray(0, 6), bytes.subarray(6)));
    expect(peeked.firstLine).toBe('name,Ärzte');
    await expect(text(peeked.stream)).resolves.toBe('name,Ärzte\n1,x');
  });

  it('destroys the input when the returned stream is destroyed', async () => {
    const input = new Readable({ read() {} });
    input.push('id,name\n');
    const peeked = await peekFirstLine(input);
    peeked.stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(input.destroyed).toBe(true);
  });
});

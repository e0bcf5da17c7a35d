import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiProblem, FileFormatError } from '../../common/api-problem';
import { Utf8Guard, firstInvalidOffset } from './utf8-guard';

const BOM = [0xef, 0xbb, 0xbf];
const LIMIT = 1024 * 1024;

/** Pipes the chunks through a fresh guard; resolves with what came out and the guard itself. */
async function run(chunks: (Buffer | number[] | string)[], maxBytes = LIMIT): Promise<{ output: Buffer; guard: Utf8Guard }> {
  const guard = new Utf8Guard(maxBytes);
  const parts: Buffer[] = [];
  await pipeline(
    Readable.from(chunks.map(toBuffer)),
    guard,
    async (source: AsyncIterable<Buffer>) => {
      for await (const part of source) parts.push(part);
    },
  );
  return { output: Buffer.concat(parts), guard };
}

function toBuffer(chunk: Buffer | number[] | string): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
}

describe(Utf8Guard.name, () => {
  describe('valid input', () => {
    it('passes ASCII through unchanged and counts the bytes', async () => {
      const { output, guard } = await run(['id,name\n', '1,Sales\n']);
      expect(output.toString('utf8')).toBe('id,name\n1,Sales\n');
      expect(guard.bytes).toBe(16);
      expect(guard.bom).toBe(false);
    });

    it('passes multi-byte characters through unchanged', async () => {
      const text = '1,Zoë Ærø — 東京 😀\n2,naïve\n';
      const { output } = await run([text]);
      expect(output.toString('utf8')).toBe(text);
    });

    it.each([
      ['a 2-byte character', 'é', 1],
      ['a 3-byte character', '€', 1],
      ['a 3-byte character', '€', 2],
      ['a 4-byte character', '😀', 1],
      ['a 4-byte character', '😀', 2],
      ['a 4-byte character', '😀', 3],
    ])('reassembles %s split after byte %i across two chunks', async (_label, char, cut) => {
      const bytes = Buffer.from(`1,x${char}y\n`, 'utf8');
      const at = 3 + cut;
      const { output } = await run([bytes.subarray(0, at), bytes.subarray(at)]);
      expect(output.toString('utf8')).toBe(`1,x${char}y\n`);
    });

    it('reassembles a character split across three one-byte-ish chunks', async () => {
      const bytes = Buffer.from('ab😀cd', 'utf8');
      const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 4), bytes.subarray(4, 5), bytes.subarray(5)];
      const { output } = await run(chunks);
      expect(output.toString('utf8')).toBe('ab😀cd');
    });

    it('never emits a chunk that ends inside a character', async () => {
      const bytes = Buffer.from('€€€€', 'utf8');
      const guard = new Utf8Guard(LIMIT);
      const emitted: Buffer[] = [];
      guard.on('data', (chunk: Buffer) => emitted.push(chunk));
      await pipeline(Readable.from([bytes.subarray(0, 4), bytes.subarray(4, 8), bytes.subarray(8)]), guard);
      for (const chunk of emitted) expect(chunk.toString('utf8')).not.toContain('\ufffd');
      expect(Buffer.concat(emitted).toString('utf8')).toBe('€€€€');
    });

    it('passes an empty input', async () => {
      const { output, guard } = await run([]);
      expect(output.length).toBe(0);
      expect(guard.bytes).toBe(0);
      expect(guard.bom).toBe(false);
    });
  });

  describe('byte order mark', () => {
    it('strips a BOM at the start and reports it', async () => {
      const { output, guard } = await run([Buffer.from([...BOM, ...Buffer.from('id,name\n')])]);
      expect(output.toString('utf8')).toBe('id,name\n');
      expect(guard.bom).toBe(true);
      expect(guard.bytes).toBe(11);
    });

    it.each([1, 2])('strips a BOM split after byte %i across chunks', async (cut) => {
      const bytes = Buffer.from([...BOM, ...Buffer.from('id,name\n')]);
      const { output, guard } = await run([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(output.toString('utf8')).toBe('id,name\n');
      expect(guard.bom).toBe(true);
    });

    it('strips a BOM delivered one byte per chunk', async () => {
      const { output, guard } = await run([[0xef], [0xbb], [0xbf], 'x']);
      expect(output.toString('utf8')).toBe('x');
      expect(guard.bom).toBe(true);
    });

    it('strips a file that is only a BOM to nothing', async () => {
      const { output, guard } = await run([BOM]);
      expect(output.length).toBe(0);
      expect(guard.bom).toBe(true);
    });

    it('keeps a U+FEFF that is not at the start', async () => {
      const text = 'a\ufeffb';
      const { output, guard } = await run([text]);
      expect(output.toString('utf8')).toBe(text);
      expect(guard.bom).toBe(false);
    });

    it('strips only the first of two BOMs', async () => {
      const { output } = await run([[...BOM, ...BOM, 0x61]]);
      expect([...output]).toEqual([...BOM, 0x61]);
    });
  });

  describe('invalid UTF-8', () => {
    it('rejects an invalid byte on line 1 as a FileFormatError', async () => {
      const result = run([[0x61, 0xff, 0x62]]);
      await expect(result).rejects.toBeInstanceOf(FileFormatError);
      await expect(result).rejects.toMatchObject({
        status: 400,
        code: 'invalid_encoding',
        extensions: { line: 1 },
        detail: expect.stringMatching(/^line 1: .*not valid UTF-8/),
      });
    });

    it('names the line the invalid byte is on', async () => {
      await expect(run(['id,name\n1,Sales\n2,Bad', [0xe9], '\n3,Ok\n'])).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 3 } });
    });

    it('counts lines passed in earlier chunks', async () => {
      await expect(run(['a\nb\n', 'c\nd\n', [0x65, 0x0a, 0x66, 0xc3, 0x28]])).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 6 } });
    });

    it('counts lines after a BOM the same way', async () => {
      await expect(run([[...BOM, 0x61, 0x0a, 0x80]])).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 2 } });
    });

    it('names the line of an invalid sequence split across chunks', async () => {
      // E2 82 followed by '(' : a 3-byte sequence whose last byte is not a continuation byte
      await expect(run(['x\ny\n', [0x7a, 0xe2], [0x82, 0x28, 0x0a]])).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 3 } });
    });

    it.each([
      ['a lone continuation byte', [0x80]],
      ['an overlong encoding of "/"', [0xc0, 0xaf]],
      ['an overlong 3-byte sequence', [0xe0, 0x80, 0xaf]],
      ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
      ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
      ['a 5-byte lead', [0xf8, 0x88, 0x80, 0x80, 0x80]],
      ['Latin-1 text', [...Buffer.from('caf', 'latin1'), 0xe9, 0x0a]],
    ])('rejects %s', async (_label, bytes) => {
      await expect(run([[0x31, 0x2c, ...bytes, 0x0a]])).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 1 } });
    });

    it('rejects a sequence truncated at the end of the file, on the last line', async () => {
      const result = run(['id,name\n1,caf', [0xe2, 0x82]]);
      await expect(result).rejects.toBeInstanceOf(FileFormatError);
      await expect(result).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 2 } });
    });

    it('rejects a lone lead byte at the end of the file', async () => {
      await expect(run(['a\nb\nc', [0xf0]])).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 3 } });
    });

    it('rejects a truncated sequence right after a BOM at the end of the file', async () => {
      await expect(run([[...BOM, 0xe2, 0x82]])).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 1 } });
    });

    it.each([
      ['EF', [0xef]],
      ['EF BB', [0xef, 0xbb]],
    ])('rejects a file that is only the truncated sequence %s (a partial BOM is not valid UTF-8)', async (_label, bytes) => {
      await expect(run([bytes])).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 1 } });
    });

    it('rejects a partial BOM followed by other bytes', async () => {
      await expect(run([[0xef, 0xbb], 'a,b\n'])).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 1 } });
    });
  });

  describe('line numbers with any line ending', () => {
    it.each([
      ['CR alone', ['id,name\r1,A\r2,B', [0xe9], '\r']],
      ['CR LF', ['id,name\r\n1,A\r\n2,B', [0xe9], '\r\n']],
      ['CR LF split across chunks', ['id,name\r', '\n1,A\r', '\n2,B', [0xe9], '\r\n']],
    ] as [string, (string | number[])[]][])('names line 3 with %s', async (_label, chunks) => {
      await expect(run(chunks)).rejects.toMatchObject({ code: 'invalid_encoding', extensions: { line: 3 } });
    });
  });

  describe('size limit', () => {
    it('accepts a file of exactly the limit', async () => {
      const { output, guard } = await run(['12345', '67890'], 10);
      expect(output.toString()).toBe('1234567890');
      expect(guard.bytes).toBe(10);
    });

    it('rejects a file over the limit with a 413 ApiProblem', async () => {
      const result = run(['12345', '67890', '1'], 10);
      await expect(result).rejects.toBeInstanceOf(ApiProblem);
      await expect(result).rejects.not.toBeInstanceOf(FileFormatError);
      await expect(result).rejects.toMatchObject({
        status: 413,
        code: 'payload_too_large',
        detail: expect.stringContaining('10 bytes'),
      });
    });

    it('counts BOM bytes towards the limit', async () => {
      await expect(run([[...BOM, ...Buffer.from('1234567890')]], 12)).rejects.toMatchObject({ status: 413 });
    });

    it('reports the size limit before looking at the encoding of the oversized chunk', async () => {
      await expect(run([[0xff, 0xff, 0xff]], 2)).rejects.toMatchObject({ status: 413, code: 'payload_too_large' });
    });
  });
});

describe(firstInvalidOffset.name, () => {
  it.each([
    ['an empty buffer', [], 0],
    ['valid ASCII', [0x61, 0x62], 2],
    ['valid multi-byte text', [...Buffer.from('é€😀')], 9],
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['an invalid lead byte', [0x61, 0x62, 0xff, 0x63], 2],
    ['C0 (never valid)', [0xc0, 0x80], 0],
    ['a truncated 3-byte sequence at the end', [0x61, 0xe2, 0x82], 1],
    ['a 3-byte sequence broken by ASCII', [0x61, 0x62, 0xe2, 0x28, 0xa1], 2],
    ['an overlong 3-byte sequence', [0x61, 0xe0, 0x80, 0xaf], 1],
    ['a surrogate', [0xed, 0xa0, 0x80], 0],
    ['a code point above U+10FFFF', [0x61, 0xf4, 0x90, 0x80, 0x80], 1],
    ['invalid after valid multi-byte characters', [...Buffer.from('é😀'), 0xfe], 6],
  ])('finds the offset in %s', (_label, bytes, expected) => {
    expect(firstInvalidOffset(Buffer.from(bytes))).toBe(expected);
  });
});

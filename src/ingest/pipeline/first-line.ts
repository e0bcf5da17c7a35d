import { Readable } from 'node:stream';

/** A header longer than this is no header any table has: inference reads no further. */
export const FIRST_LINE_MAX_BYTES = 64 * 1024;

export interface PeekedStream {
  /** The first line's text (UTF-8, without its line break; possibly cut at FIRST_LINE_MAX_BYTES). */
  readonly firstLine: string;
  /** Every byte of the input, the peeked ones included, for the pipeline to read from the start. */
  readonly stream: Readable;
}

/**
 * Reads just enough of `input` to see its first line, and hands back a stream
 * that still starts at byte 0, so the pipeline's stages (UTF-8 check, hash,
 * framer) see the whole file as sent. Destroying the returned stream destroys
 * the input.
 */
export async function peekFirstLine(input: Readable): Promise<PeekedStream> {
  const chunks = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let bytes = 0;
  let lineEnded = false;
  while (bytes < FIRST_LINE_MAX_BYTES && !lineEnded) {
    const next = await chunks.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    head.push(chunk);
    bytes += chunk.length;
    lineEnded = chunk.includes(0x0a) || chunk.includes(0x0d);
  }
  const text = Buffer.concat(head).subarray(0, FIRST_LINE_MAX_BYTES).toString('utf8');
  const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  async function* replay(): AsyncGenerator<Buffer> {
    yield* head;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value as Buffer;
  }
  const stream = Readable.from(replay(), { objectMode: false });
  // The generator may never have started, or be waiting on the input: close the input itself.
  stream.once('close', () => {
    if (!input.readableEnded) input.destroy();
  });
  return { firstLine, stream };
}

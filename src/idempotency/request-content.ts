import { createHash, Hash } from 'node:crypto';
import { Readable, Transform, TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * What makes two requests with one Idempotency-Key "the same request": the
 * route, the options and the content. The fingerprint is known once the
 * content has been read in full.
 */
export interface RequestContent {
  /** The fingerprint, or null while (or because) the content was not read to its end. */
  fingerprint(): string | null;
  /** Reads and drops what is left of the content, then answers the fingerprint. */
  drain(): Promise<string>;
}

function fingerprintOf(route: string, options: Record<string, unknown>, contentSha256: string): string {
  const sorted = Object.fromEntries(Object.entries(options).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify([route, sorted, contentSha256])).digest('hex');
}

/** Content already in memory (a JSON body). */
export function contentOfJson(route: string, options: Record<string, unknown>, body: unknown): RequestContent {
  const fingerprint = fingerprintOf(route, options, createHash('sha256').update(JSON.stringify(body)).digest('hex'));
  return { fingerprint: () => fingerprint, drain: async () => fingerprint };
}

/**
 * Streamed content (an uploaded file): `stream` is the content to read instead
 * of `input`, hashed as it passes through.
 */
export class StreamedContent implements RequestContent {
  readonly stream: Readable;
  private readonly hash: Hash = createHash('sha256');
  private digest: string | null = null;

  constructor(
    input: Readable,
    private readonly route: string,
    private readonly options: Record<string, unknown>,
  ) {
    const hash = this.hash;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        hash.update(chunk);
        callback(null, chunk);
      },
      flush: (callback: TransformCallback) => {
        this.digest = fingerprintOf(this.route, this.options, hash.digest('hex'));
        callback();
      },
    });
    // Errors of the upload (too large, cut short) reach whoever reads `stream`.
    input.on('error', (error) => hashing.destroy(error));
    hashing.on('close', () => {
      if (!input.readableEnded) input.destroy();
    });
    this.stream = input.pipe(hashing);
  }

  fingerprint(): string | null {
    return this.digest;
  }

  async drain(): Promise<string> {
    if (this.digest === null) {
      await pipeline(this.stream, new Writable({ write: (_chunk, _encoding, callback) => callback() }));
    }
    return this.digest as unknown as string;
  }
}

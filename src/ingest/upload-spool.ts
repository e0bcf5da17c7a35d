import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiProblem } from '../common/api-problem';

/** An upload saved to disk so it can be loaded after the response has gone. */
export interface SpooledUpload {
  readonly path: string;
  readonly bytes: number;
  remove(): Promise<void>;
}

/**
 * Streams an upload to a new file under `dir` with backpressure (memory stays
 * flat whatever the size). Fails with 413 past `maxBytes`, and removes the
 * file whenever it fails.
 */
export async function spoolUpload(input: Readable, dir: string, maxBytes: number): Promise<SpooledUpload> {
  const path = join(dir, `db-migration-upload-${randomUUID()}.csv`);
  const remove = (): Promise<void> => rm(path, { force: true });
  try {
    await pipeline(input, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    const { size } = await stat(path);
    if (size > maxBytes) {
      throw new ApiProblem(413, 'payload_too_large', `the file is larger than the limit of ${maxBytes} bytes (ingest.max_upload_bytes)`);
    }
    return { path, bytes: size, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

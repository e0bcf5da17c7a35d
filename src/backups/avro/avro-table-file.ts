import { streams } from 'avsc';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { TableName } from '../../common/tables';
import { DigestStream } from './digest-stream';
import { avroSchemaOf } from './table-schema';

/** The media type of a backup file (not registered with IANA; the one AVRO tools use for container files). */
export const AVRO_CONTENT_TYPE = 'application/avro';

/** What was written: the records, and the file's size and SHA-256. */
export interface WrittenAvroFile {
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** A file that cannot be read as an AVRO container of its table's records. */
export class AvroFileError extends Error {
  override readonly name = 'AvroFileError';
}

// Blocks of ~64 KiB before compression (avsc's default): memory stays flat whatever the table's size.
const CODEC = 'deflate';

/**
 * Streams `records` into a new AVRO object container file at `path` (never
 * overwriting one), the table's schema in its header, with backpressure from
 * the disk back to the record source.
 */
export async function writeAvroTableFile(path: string, table: TableName, records: AsyncIterable<Record<string, unknown>>): Promise<WrittenAvroFile> {
  let rows = 0;
  async function* counted(): AsyncGenerator<Record<string, unknown>> {
    for await (const record of records) {
      rows++;
      yield record;
    }
  }
  // The header is written at once ('always'): an empty table still makes a valid file, with no block.
  const encoder = new streams.BlockEncoder(avroSchemaOf(table), { codec: CODEC, writeHeader: 'always' });
  const digest = new DigestStream();
  await pipeline(counted(), encoder, digest, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  return { rows, bytes: digest.bytes, sha256: digest.sha256() };
}

/**
 * The records of an AVRO container file written for `table` (by this
 * service or any AVRO writer whose schema resolves to the table's), one at
 * a time. Fails with AvroFileError on anything that is not such a file,
 * including one cut short: avsc itself ends quietly at the last whole block.
 */
export async function* readAvroTableFile(path: string, table: TableName): AsyncGenerator<Record<string, unknown>> {
  const file = createReadStream(path);
  // The reader schema makes avsc resolve the file's own schema against the table's, or fail.
  const decoder = new streams.BlockDecoder({ readerSchema: avroSchemaOf(table) });
  let headerRead = false;
  decoder.on('metadata', () => {
    headerRead = true;
  });
  file.on('error', (error) => decoder.destroy(error));
  file.pipe(decoder);
  try {
    for await (const record of decoder) yield record as Record<string, unknown>;
    if (!headerRead) throw new AvroFileError('it has no AVRO header (empty, cut short, or not an AVRO object container file)');
    if (unframedBytes(decoder) > 0) throw new AvroFileError('it ends inside a block (the file was cut short)');
  } catch (error) {
    if (error instanceof AvroFileError) throw error;
    throw new AvroFileError(describe(error));
  } finally {
    file.destroy();
    decoder.destroy();
  }
}

/**
 * Bytes after the last whole block. avsc keeps what it could not frame yet in
 * its buffer and, at the end of the input, drops it without a word.
 */
function unframedBytes(decoder: object): number {
  const tap = (decoder as { _tap?: { buf?: unknown; pos?: unknown } })._tap;
  return tap && Buffer.isBuffer(tap.buf) && typeof tap.pos === 'number' ? tap.buf.length - tap.pos : 0;
}

function describe(error: unknown): string {
  if ((error as { code?: unknown }).code === 'ENOENT') return 'the file is missing';
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${message} (${cause.message})` : message;
}

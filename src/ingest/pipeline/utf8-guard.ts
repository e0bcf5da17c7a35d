import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { Transform, TransformCallback } from 'node:stream';
import { ApiProblem, FileFormatError } from '../../common/api-problem';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LF = 0x0a;
const CR = 0x0d;

/**
 * First stage of a CSV upload: passes bytes through unchanged while enforcing
 * the size limit, dropping a UTF-8 BOM and rejecting invalid UTF-8 with the
 * line it is on. Sequences split across chunks are held back until complete.
 */
export class Utf8Guard extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private lineBreaksPassed = 0;
  /** The bytes passed so far ended with CR: an LF first in the next chunk completes that line break. */
  private endedWithCr = false;
  private started = false;
  bytes = 0;
  bom = false;
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes: number) {
    super();
  }

  /** SHA-256 (hex) of every byte received, BOM included; call once, at the end. */
  sha256(): string {
    return this.hash.digest('hex');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (this.bytes > this.maxBytes) {
      callback(new ApiProblem(413, 'payload_too_large', `the file is larger than the limit of ${this.maxBytes} bytes (ingest.max_upload_bytes)`));
      return;
    }
    let buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    if (!this.started) {
      if (buffer.length < BOM.length && BOM.subarray(0, buffer.length).equals(buffer)) {
        this.pending = Buffer.from(buffer);
        callback();
        return;
      }
      this.started = true;
      if (buffer.subarray(0, BOM.length).equals(BOM)) {
        this.bom = true;
        buffer = buffer.subarray(BOM.length);
      }
    }
    const end = completeSequencesEnd(buffer);
    const body = buffer.subarray(0, end);
    this.pending = Buffer.from(buffer.subarray(end));
    const error = this.check(body);
    if (error) {
      callback(error);
      return;
    }
    this.lineBreaksPassed += this.lineBreaks(body, body.length);
    if (body.length > 0) this.endedWithCr = body[body.length - 1] === CR;
    callback(null, body);
  }

  override _flush(callback: TransformCallback): void {
    // Bytes still pending at the end are a cut-off sequence (or a cut-off BOM).
    if (this.pending.length > 0) {
      callback(this.invalidAt(this.lineBreaksPassed + 1));
      return;
    }
    callback();
  }

  private check(body: Buffer): FileFormatError | null {
    if (isUtf8(body)) return null;
    const offset = firstInvalidOffset(body);
    return this.invalidAt(this.lineBreaksPassed + this.lineBreaks(body, offset) + 1);
  }

  /** Line breaks in buffer[0..end), counted as the framer counts them: CR LF, LF or CR alone. */
  private lineBreaks(buffer: Buffer, end: number): number {
    let count = this.endedWithCr && end > 0 && buffer[0] === LF ? -1 : 0;
    for (let at = buffer.indexOf(LF); at !== -1 && at < end; at = buffer.indexOf(LF, at + 1)) count++;
    for (let at = buffer.indexOf(CR); at !== -1 && at < end; at = buffer.indexOf(CR, at + 1)) {
      if (buffer[at + 1] !== LF || at + 1 >= end) count++;
    }
    return count;
  }

  private invalidAt(line: number): FileFormatError {
    return new FileFormatError('invalid_encoding', `line ${line}: the file is not valid UTF-8 (save it as UTF-8 and upload again)`, line);
  }
}

/** Length of a UTF-8 sequence announced by its lead byte, or 0 when it cannot lead. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Where the last complete sequence ends; a sequence cut by the chunk boundary waits for the next chunk. */
function completeSequencesEnd(buffer: Buffer): number {
  for (let back = 1; back <= Math.min(3, buffer.length); back++) {
    const at = buffer.length - back;
    const byte = buffer[at];
    if ((byte & 0xc0) !== 0x80) {
      const length = sequenceLength(byte);
      return length > back ? at : buffer.length;
    }
  }
  return buffer.length;
}

/** Offset of the first byte that breaks UTF-8 (only called once isUtf8 said no). */
export function firstInvalidOffset(buffer: Buffer): number {
  let at = 0;
  while (at < buffer.length) {
    const length = sequenceLength(buffer[at]);
    if (length === 0 || at + length > buffer.length) return at;
    const chunk = buffer.subarray(at, at + length);
    if (length > 1 && !isUtf8(chunk)) return at;
    at += length;
  }
  return buffer.length;
}

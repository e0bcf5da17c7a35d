import { Transform, TransformCallback } from 'node:stream';
import { FileFormatError } from '../../common/api-problem';
import { LineEndings } from './pipeline.types';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: the first of an escaped pair, or the closing quote. */
  QuoteInQuoted,
  AfterClosingQuote,
}

/** A record longer than this is not HR data: it is a quote never closed, or a hostile file. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * More cells than a spreadsheet has columns (16,384) is not a table's row
 * either. A record within MAX_RECORD_BYTES can still hold a million empty
 * cells, and parsing those takes ~45 MB: the whole heap of the parsing thread.
 */
export const MAX_RECORD_CELLS = 20_000;

/**
 * Sits between the UTF-8 guard and the CSV parser and passes only complete records
 * on. A structural error (a quote never closed, text after a closing quote,
 * an endless record) is found here, on the physical line its record starts
 * on, before the parser sees that record: the records before it still reach the
 * parser, then the stream ends and `failure` holds the error for the reader to
 * raise once those rows are consumed. The quoting rules are RFC 4180's, as the parser reads them.
 */
export class RecordFramer extends Transform {
  failure: FileFormatError | null = null;
  private state = State.FieldStart;
  private line = 1;
  private recordLine = 1;
  private afterCr = false;
  /** Delimiters outside quotes in the record being scanned: its cells, less one. */
  private delimiters = 0;
  private readonly endings = new Set<'crlf' | 'lf' | 'cr'>();
  /** The start of the record still open at the end of the last chunk. */
  private held: Buffer = Buffer.alloc(0);

  constructor(private readonly delimiter: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.failure) {
      callback(); // the rest of the upload is drained, not parsed
      return;
    }
    const data = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const complete = this.scan(data, this.held.length);
    if (complete > 0) this.push(data.subarray(0, complete));
    this.held = this.failure ? Buffer.alloc(0) : Buffer.from(data.subarray(complete));
    if (this.held.length > MAX_RECORD_BYTES) {
      this.failTooLong();
      this.held = Buffer.alloc(0);
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (!this.failure && this.state === State.Quoted) {
      this.fail('unterminated_quote', 'a quoted field is never closed (missing closing ")');
    }
    if (!this.failure && this.held.length > 0) this.push(this.held);
    callback();
  }

  /**
   * Runs the state machine over data[from..] and returns the end of the last
   * complete record (or, on failure, the start of the failing record).
   */
  private scan(data: Buffer, from: number): number {
    let recordStart = 0;
    for (let i = from; i < data.length; i++) {
      const byte = data[i];
      if (this.afterCr) {
        // CR LF is one line break; a lone CR ends the line by itself.
        this.afterCr = false;
        this.endings.add(byte === LF ? 'crlf' : 'cr');
        if (byte === LF) {
          if (this.state === State.FieldStart) recordStart = i + 1;
          continue;
        }
        if (this.state === State.FieldStart) recordStart = i;
      }
      if (this.state === State.Quoted) {
        if (byte === QUOTE) this.state = State.QuoteInQuoted;
        else if (byte === LF || byte === CR) this.lineBreak(byte);
        continue;
      }
      if (this.state === State.QuoteInQuoted) {
        if (byte === QUOTE) {
          this.state = State.Quoted;
          continue;
        }
        this.state = State.AfterClosingQuote;
      }
      if (byte === this.delimiter) {
        this.state = State.FieldStart;
        if (++this.delimiters >= MAX_RECORD_CELLS) {
          this.fail('too_many_cells', `a record with more than ${MAX_RECORD_CELLS} cells`);
          return recordStart;
        }
      } else if (byte === LF || byte === CR) {
        // Checked here too, not only on what is held between chunks: a record that ends in the chunk
        // that took it past the limit would otherwise go to the parser whole.
        if (i - recordStart > MAX_RECORD_BYTES) {
          this.failTooLong();
          return recordStart;
        }
        this.delimiters = 0;
        this.lineBreak(byte);
        this.state = State.FieldStart;
        this.recordLine = this.line;
        if (byte === LF) recordStart = i + 1;
      } else if (byte === SPACE || byte === TAB) {
        // Spaces around fields (and around quoted fields) are allowed.
      } else if (this.state === State.FieldStart) {
        this.state = byte === QUOTE ? State.Quoted : State.Unquoted;
      } else if (this.state === State.AfterClosingQuote) {
        this.fail('malformed_csv', `unexpected ${JSON.stringify(String.fromCharCode(byte))} after a closing quote (a quote inside a quoted field must be doubled: "")`);
        return recordStart;
      }
    }
    return recordStart;
  }

  private lineBreak(byte: number): void {
    this.line++;
    if (byte === CR) this.afterCr = true;
    else this.endings.add('lf');
  }

  /** The line breaks seen so far (a CR at the very end of the file counts as a lone CR). */
  lineEndings(): LineEndings {
    const seen = new Set(this.endings);
    if (this.afterCr) seen.add('cr');
    if (seen.size === 0) return 'none';
    return seen.size === 1 ? [...seen][0] : 'mixed';
  }

  private failTooLong(): void {
    this.fail('record_too_long', `a record longer than ${MAX_RECORD_BYTES} bytes (is a quote never closed?)`);
  }

  private fail(code: string, reason: string): void {
    this.failure = new FileFormatError(code, `line ${this.recordLine}: ${reason}`, this.recordLine);
  }
}

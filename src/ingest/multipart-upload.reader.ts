import { Inject, Injectable } from '@nestjs/common';
import type { Multipart, MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { PassThrough, Readable } from 'node:stream';
import { ApiProblem } from '../common/api-problem';
import { drainRequest } from '../common/drain-request';
import { APP_CONFIG, AppConfig } from '../config/app-config';

export interface UploadedFile {
  readonly stream: Readable;
  readonly filename: string;
  /** Text fields that came before the file part. */
  readonly fields: Record<string, string>;
  /**
   * Reads the rest of the multipart body once the file has been consumed, and
   * fails if it was cut short, holds a second file, or carries an option
   * field after the file (too late to apply, so never silently ignored).
   */
  assertComplete(): Promise<void>;
  /**
   * Reads and drops whatever of the body is left (after an early error), so
   * the response goes out and the connection stays usable.
   */
  discard(): void;
}

const FILE_FIELD = 'file';
const TRUNCATED = 'the upload ended before the file part was complete (the multipart body has no closing boundary)';

/**
 * Opens the file part of a multipart upload as a stream, without buffering
 * it. Parts are read in order: fields before the file are options; the file
 * must be in the field "file".
 */
@Injectable()
export class MultipartUploadReader {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async open(request: FastifyRequest, optionNames: readonly string[]): Promise<UploadedFile> {
    try {
      return await this.openFile(request, optionNames);
    } catch (error) {
      // Refused before the file was handed over (a limit, a bad field): the rest of the body is nobody's to read.
      drainRequest(request);
      throw error;
    }
  }

  private async openFile(request: FastifyRequest, optionNames: readonly string[]): Promise<UploadedFile> {
    if (!request.isMultipart()) {
      throw new ApiProblem(
        415,
        'unsupported_media_type',
        `expected multipart/form-data with the CSV in a field named "${FILE_FIELD}" (got ${request.headers['content-type'] ?? 'no content type'})`,
      );
    }
    const limits = multipartLimits(this.config.ingest);
    const parts = iterate(() => request.parts({ limits }), this.config.ingest);
    const fields: Record<string, string> = {};
    for (let part = await parts.next(); part; part = await parts.next()) {
      if (part.type === 'field') {
        assertWholeField(part, this.config.ingest.maxFieldBytes);
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== FILE_FIELD) {
        part.file.resume();
        throw new ApiProblem(400, 'unexpected_file_field', `the file must be sent in the field "${FILE_FIELD}" (got "${part.fieldname}")`);
      }
      return {
        stream: guarded(part),
        filename: part.filename || 'upload.csv',
        fields,
        assertComplete: () => assertComplete(parts, optionNames, this.config.ingest.maxFieldBytes),
        // Not by resuming the file: piped into the guarded stream, which nobody reads after an early
        // error (a bad option), it would pause again at once.
        discard: () => drainRequest(request),
      };
    }
    throw new ApiProblem(400, 'missing_file', `the multipart body has no file part; send the CSV in a field named "${FILE_FIELD}"`);
  }
}

type MultipartLimitSettings = Pick<AppConfig['ingest'], 'maxUploadBytes' | 'maxFields' | 'maxFieldBytes'>;

/** busboy's limits for an upload: one file, ingest.max_fields text fields of at most ingest.max_field_bytes. */
export function multipartLimits(settings: MultipartLimitSettings) {
  return {
    // One byte over the limit is let through so the size guard can tell "too large" from "exactly the limit".
    fileSize: settings.maxUploadBytes + 1,
    files: 1,
    fields: settings.maxFields,
    fieldSize: settings.maxFieldBytes,
    parts: settings.maxFields + 1,
    // Header lines per part: a part needs two or three.
    headerPairs: 100,
  };
}

/** The parts iterator with malformed-multipart errors turned into 400s, and limits into answers that name them. */
function iterate(open: () => AsyncIterableIterator<Multipart>, settings: MultipartLimitSettings): { next(): Promise<Multipart | null> } {
  let iterator: AsyncIterableIterator<Multipart> | null = null;
  return {
    async next() {
      try {
        iterator ??= open();
        const { value, done } = await iterator.next();
        return done ? null : value;
      } catch (error) {
        throw asMultipartProblem(error, settings);
      }
    },
  };
}

async function assertComplete(parts: { next(): Promise<Multipart | null> }, optionNames: readonly string[], maxFieldBytes: number): Promise<void> {
  for (let part = await parts.next(); part; part = await parts.next()) {
    if (part.type === 'file') {
      part.file.resume();
      throw tooManyFiles();
    }
    assertWholeField(part, maxFieldBytes);
    if (optionNames.includes(part.fieldname)) {
      throw new ApiProblem(
        400,
        'late_option',
        `the field "${part.fieldname}" came after the file, too late to apply; send options before the file part or as query parameters`,
      );
    }
  }
}

/**
 * The file stream, failing with a 400 when the body is cut short: busboy may
 * destroy the part before this code has subscribed, and then no event would
 * ever come.
 */
function guarded(part: MultipartFile): Readable {
  const file = part.file;
  const out = new PassThrough();
  // The error may come before the pipeline subscribes; it then finds the stream
  // already errored. Without a listener now, it would be an uncaught exception.
  out.on('error', () => undefined);
  const truncated = (): void => void out.destroy(new ApiProblem(400, 'truncated_upload', TRUNCATED));
  if (file.destroyed && !file.readableEnded) {
    truncated();
    return out;
  }
  file.on('error', (error: Error) => out.destroy(asMultipartProblem(error)));
  file.on('close', () => {
    if (!file.readableEnded) truncated();
  });
  file.pipe(out);
  return out;
}

function tooManyFiles(): ApiProblem {
  return new ApiProblem(400, 'too_many_files', 'an upload carries one file part (the limit is 1 file per upload); send each file in its own request');
}

/** busboy cuts a text field at the limit and says so: refused rather than used cut short. */
function assertWholeField(part: MultipartValue, maxFieldBytes: number): void {
  if (part.fieldnameTruncated) {
    // busboy's own limit on names (100 bytes): no option has a name anywhere near it.
    throw new ApiProblem(413, 'field_too_large', 'a field name of the upload is longer than 100 bytes, the limit for a field name');
  }
  if (part.valueTruncated) {
    throw new ApiProblem(
      413,
      'field_too_large',
      `the field "${part.fieldname}" is longer than ${maxFieldBytes} bytes, the limit for a text field of an upload (ingest.max_field_bytes)`,
    );
  }
}

function asMultipartProblem(error: unknown, settings?: MultipartLimitSettings): Error {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_FILES_LIMIT') return tooManyFiles();
  if (settings && (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT')) {
    return new ApiProblem(
      413,
      'too_many_fields',
      `the upload has more than ${settings.maxFields} text fields, the limit for an upload (ingest.max_fields); send only the options, then the file`,
    );
  }
  // Other plugin errors with a status keep it; the error filter maps them.
  if (error instanceof Error && (error instanceof ApiProblem || typeof (error as { statusCode?: unknown }).statusCode === 'number')) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/terminated early|unexpected end/i.test(message)) return new ApiProblem(400, 'truncated_upload', TRUNCATED);
  return new ApiProblem(400, 'invalid_multipart', `the multipart body cannot be read: ${message}`);
}

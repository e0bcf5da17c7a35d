import { Inject, Injectable } from '@nestjs/common';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { PassThrough, Readable } from 'node:stream';
import { ApiProblem } from '../common/api-problem';
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
   * Lets busboy read and drop whatever of the body is left (after an early
   * error), so the response goes out and the connection stays usable.
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
    if (!request.isMultipart()) {
      throw new ApiProblem(
        415,
        'unsupported_media_type',
        `expected multipart/form-data with the CSV in a field named "${FILE_FIELD}" (got ${request.headers['content-type'] ?? 'no content type'})`,
      );
    }
    // One byte over the limit is let through so the size guard can tell "too large" from "exactly the limit".
    const parts = iterate(() => request.parts({ limits: { fileSize: this.config.ingest.maxUploadBytes + 1 } }));
    const fields: Record<string, string> = {};
    for (let part = await parts.next(); part; part = await parts.next()) {
      if (part.type === 'field') {
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
        assertComplete: () => assertComplete(parts, optionNames),
        discard: () => {
          if (!part.file.readableEnded) part.file.resume();
        },
      };
    }
    throw new ApiProblem(400, 'missing_file', `the multipart body has no file part; send the CSV in a field named "${FILE_FIELD}"`);
  }
}

/** The parts iterator with malformed-multipart errors turned into 400s. */
function iterate(open: () => AsyncIterableIterator<Multipart>): { next(): Promise<Multipart | null> } {
  let iterator: AsyncIterableIterator<Multipart> | null = null;
  return {
    async next() {
      try {
        iterator ??= open();
        const { value, done } = await iterator.next();
        return done ? null : value;
      } catch (error) {
        throw asMultipartProblem(error);
      }
    },
  };
}

async function assertComplete(parts: { next(): Promise<Multipart | null> }, optionNames: readonly string[]): Promise<void> {
  for (let part = await parts.next(); part; part = await parts.next()) {
    if (part.type === 'file') {
      part.file.resume();
      throw new ApiProblem(400, 'too_many_files', 'send one file per upload');
    }
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

function asMultipartProblem(error: unknown): Error {
  // Plugin errors with a status (limits) keep it; the error filter maps them.
  if (error instanceof Error && (error instanceof ApiProblem || typeof (error as { statusCode?: unknown }).statusCode === 'number')) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/terminated early|unexpected end/i.test(message)) return new ApiProblem(400, 'truncated_upload', TRUNCATED);
  return new ApiProblem(400, 'invalid_multipart', `the multipart body cannot be read: ${message}`);
}

import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { ApiProblem } from '../common/api-problem';
import { APP_CONFIG, AppConfig } from '../config/app-config';

export interface UploadedFile {
  readonly stream: Readable;
  readonly filename: string;
  /** Text fields that came before the file part. */
  readonly fields: Record<string, string>;
}

/**
 * Opens the file part of a multipart upload as a stream, without buffering
 * it. Fields are only seen when they precede the file (the part is consumed
 * as it arrives), which is what curl -F and browsers do in the given order.
 */
@Injectable()
export class MultipartUploadReader {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async open(request: FastifyRequest): Promise<UploadedFile> {
    if (!request.isMultipart()) {
      throw new ApiProblem(
        415,
        'unsupported_media_type',
        `expected multipart/form-data with the CSV in a field named "file" (got ${request.headers['content-type'] ?? 'no content type'})`,
      );
    }
    // One byte over the limit is let through so the size guard can tell "too large" from "exactly the limit".
    const part = await request.file({ limits: { fileSize: this.config.ingest.maxUploadBytes + 1, files: 1 } });
    if (!part) throw new ApiProblem(400, 'missing_file', 'the multipart body has no file part; send the CSV in a field named "file"');
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(part.fields)) {
      const field = Array.isArray(value) ? value[0] : value;
      if (field && field.type === 'field' && typeof field.value === 'string') fields[name] = field.value;
    }
    return { stream: part.file, filename: part.filename || 'upload.csv', fields };
  }
}

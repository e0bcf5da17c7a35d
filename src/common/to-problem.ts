import { HttpException } from '@nestjs/common';
import { databaseUnavailable } from '../database/database-unavailable';
import { ApiProblem, ProblemBody, titleFor } from './api-problem';

/** Fastify and plugin errors that carry a client status, mapped to our codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_FILES_LIMIT: { status: 413, code: 'too_many_files' },
  FST_PARTS_LIMIT: { status: 413, code: 'too_many_parts' },
  FST_FIELDS_LIMIT: { status: 413, code: 'too_many_fields' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_request' },
};

export interface ProblemResponse {
  status: number;
  body: ProblemBody;
  /** Unexpected errors are logged with their stack; client errors are not. */
  unexpected: boolean;
  /** Response headers that go with it (e.g. Retry-After). */
  headers?: Readonly<Record<string, string>>;
}

/** What is known of the request that failed, for details that name its limits. */
export interface ProblemContext {
  /** The body limit of the request's route, in bytes. */
  bodyLimit?: number;
}

/** Maps anything thrown while handling a request to problem details. */
export function toProblem(error: unknown, context: ProblemContext = {}): ProblemResponse {
  if (error instanceof ApiProblem) {
    return { status: error.status, body: error.toBody(), unexpected: false, headers: error.headers };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const detail = typeof response === 'string' ? response : messageOf(response) ?? error.message;
    // Structured bodies (e.g. terminus health details) are kept as extensions.
    const extensions = typeof response === 'object' ? withoutNestFields(response) : {};
    // Nest hands on the body parser's "too large" as an HttpException too.
    const named = status === 413 && context.bodyLimit !== undefined ? bodyTooLarge(context.bodyLimit) : detail;
    return { status, body: { ...extensions, ...problem(status, codeFor(status), named) }, unexpected: status >= 500 };
  }
  const fastify = fastifyError(error, context);
  if (fastify) return { status: fastify.status, body: problem(fastify.status, fastify.code, fastify.detail), unexpected: false };
  // Logged like any server fault (an operator must see it), answered as retryable.
  const unavailable = databaseUnavailable(error);
  if (unavailable) return { status: 503, body: unavailable.toBody(), unexpected: true };
  return {
    status: 500,
    body: problem(500, 'internal_error', 'An unexpected error occurred; it has been logged with the request id.'),
    unexpected: true,
  };
}

function fastifyError(error: unknown, context: ProblemContext): { status: number; code: string; detail: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, statusCode, message } = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  const known = typeof code === 'string' ? FASTIFY_CODES[code] : undefined;
  const text = typeof message === 'string' ? message : 'Bad request';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' && context.bodyLimit !== undefined) {
    return { ...FASTIFY_CODES[code], detail: bodyTooLarge(context.bodyLimit) };
  }
  if (known) return { ...known, detail: text };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    // JSON syntax errors from the body parser arrive as 400 with a SyntaxError message.
    const jsonSyntax = error instanceof SyntaxError || code === 'FST_ERR_CTP_INVALID_JSON_BODY';
    return { status: statusCode, code: jsonSyntax ? 'invalid_json' : codeFor(statusCode), detail: text };
  }
  return null;
}

function bodyTooLarge(limit: number): string {
  return `the request body is larger than ${limit} bytes, this endpoint's limit (JSON batches: ingest.max_batch_bytes; other JSON bodies: server.body_limit_bytes)`;
}

function problem(status: number, code: string, detail: string): ProblemBody {
  return { type: `/problems/${code}`, title: titleFor(status), status, detail };
}

function codeFor(status: number): string {
  return titleFor(status).toLowerCase().replace(/\s+/g, '_');
}

function messageOf(response: object): string | undefined {
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : undefined;
}

function withoutNestFields(response: object): Record<string, unknown> {
  const { message: _message, statusCode: _statusCode, ...rest } = response as Record<string, unknown>;
  // Nest puts the status title in `error`; terminus puts its failed checks there.
  if (typeof rest.error === 'string') delete rest.error;
  return rest;
}

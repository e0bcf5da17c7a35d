import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblem } from '../common/api-problem';
import { Answer } from './idempotency.service';

const HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const VISIBLE_ASCII = /^[\x21-\x7e]{1,255}$/;

export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Makes the request safe to retry: the first request with a key loads, and a later one with the same key and content gets ' +
  'the same status and body again (header Idempotent-Replayed: true) instead of loading twice, while the key is remembered ' +
  '(ingest.idempotency_key_retention_hours). The same key with other content or options, or on another endpoint, is a 409. ' +
  'A request sent while another with its key is running waits for that one\'s answer. 1 to 255 visible ASCII characters, e.g. a UUID.';

/** The Idempotency-Key of a request, or null when it has none; a malformed one is a 400 before anything is read. */
export function idempotencyKeyOf(request: FastifyRequest): string | null {
  const value = request.headers[HEADER];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !VISIBLE_ASCII.test(value)) {
    throw new ApiProblem(400, 'invalid_idempotency_key', 'send one Idempotency-Key header of 1 to 255 visible ASCII characters (e.g. a UUID)');
  }
  return value;
}

/**
 * Which request a key belongs to: the same key on another endpoint, or sent
 * with another API key, is another request (one client never gets another's answer).
 */
export function routeOf(request: FastifyRequest): string {
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  return request.apiKey ? `${route} as ${request.apiKey.name}` : route;
}

/** Sends an answer as the handler's result: the status, the problem content type for a replayed error, the replay marker. */
export function answerWith(reply: FastifyReply, answer: Answer): unknown {
  void reply.code(answer.status);
  if (answer.status >= 400) void reply.header('content-type', 'application/problem+json');
  if (answer.replayed) void reply.header(REPLAYED_HEADER, 'true');
  return answer.body;
}

export function ApiIdempotencyKey(): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: IDEMPOTENCY_KEY_DESCRIPTION, schema: { type: 'string', minLength: 1, maxLength: 255 } }),
  );
}

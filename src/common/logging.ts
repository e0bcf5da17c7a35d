import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** Honours a sane incoming X-Request-Id, otherwise makes one; Fastify and pino share it. */
export function requestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** One JSON line per request (method, url, status, duration, request id), secrets redacted. */
export function pinoHttpOptions(level: string): Options {
  return {
    level,
    // Fastify has already assigned the id (see requestId); pino-http reuses req.id.
    quietReqLogger: true,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'], censor: '[redacted]' },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  };
}

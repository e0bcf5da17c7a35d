import fastifyCors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { REPLAYED_HEADER } from '../idempotency/idempotency-key.header';

/**
 * CORS for the origins in cors.origins (e.g. an admin UI served elsewhere);
 * nothing is registered without them, so browsers on other origins can read
 * no answer. The origin is checked by a function rather than handed over as
 * a list: given a list, the plugin still answers every preflight with the
 * allowed methods and headers; this way an origin not listed gets no CORS
 * header at all and its preflight a 404. Keys travel in headers, never in
 * cookies, so credentials stay off.
 */
export async function registerCors(app: NestFastifyApplication, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  await app.register(fastifyCors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'Accept', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: [
      'Location',
      'Retry-After',
      'X-Request-Id',
      'X-Metrics-Year',
      'X-Metrics-Hires',
      'X-Metrics-Departments',
      'X-Metrics-Mean',
      REPLAYED_HEADER,
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ],
    maxAge: 600,
  });
}

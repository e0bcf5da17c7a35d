import type { FastifyRequest } from 'fastify';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The key a request presents, `Authorization: Bearer <key>` first, then `X-API-Key`; null when it has none. */
export function presentedKey(request: Pick<FastifyRequest, 'headers'>): string | null {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') return BEARER.exec(authorization)?.[1] ?? null;
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header !== '' ? header : null;
}

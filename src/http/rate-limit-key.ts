import type { FastifyRequest } from 'fastify';
import { ApiKeyIdentity } from '../auth/api-key';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The rate-limit counter a request counts against. A client that presents a
 * valid API key (as authentication reads it) is that key, by its configured
 * name: the secret never reaches the counter store, where counter names are
 * readable to anyone with access to it. Any other client, an invalid key
 * included (else a client could make up a fresh key, and counter, per
 * request), is its IP (request.ip, which follows server.trust_proxy). Writes
 * count apart, against their own, lower limit.
 */
export function rateLimitKey(
  request: Pick<FastifyRequest, 'headers' | 'ip' | 'method'>,
  identify: (request: Pick<FastifyRequest, 'headers'>) => ApiKeyIdentity | null,
): string {
  const key = identify(request);
  const client = key === null ? `ip:${request.ip}` : `key:${key.name}`;
  return isWrite(request.method) ? `${client}:write` : client;
}

export function isWrite(method: string): boolean {
  return !READ_METHODS.has(method.toUpperCase());
}

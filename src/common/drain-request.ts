import type { FastifyRequest } from 'fastify';

/**
 * Reads and drops what is left of a request body once its answer is decided.
 * A multipart body refused part-way (a limit, a bad field, a second file)
 * is left unread: the parser unpipes it, or waits for a part nobody will
 * read. Its unread bytes would then hold the kept-alive connection, and the
 * client's next request on it would never be answered.
 */
export function drainRequest(request: FastifyRequest): void {
  const raw = request.raw;
  if (raw.readableEnded || raw.destroyed) return;
  raw.unpipe();
  raw.resume();
}

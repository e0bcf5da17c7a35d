import type { FastifyInstance } from 'fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export const LIVENESS_PATH = '/health/live';
const ALIVE = { status: 'ok' } as const;
const ALIVE_SCHEMA: SchemaObject = { type: 'object', properties: { status: { type: 'string', example: 'ok' } }, required: ['status'] };

/**
 * Liveness answers on Fastify itself, not through Nest's router, guards and
 * interceptors: probes call it constantly, from every load balancer, and it
 * must stay cheap and answer even while the rest of the app is busy. It does
 * no I/O and logs nothing.
 */
export function registerLivenessRoute(fastify: FastifyInstance): void {
  fastify.get(LIVENESS_PATH, { logLevel: 'silent', schema: { response: { 200: ALIVE_SCHEMA } } }, async () => ALIVE);
}

/** The route in the OpenAPI document, which Nest only builds from its controllers. */
export function documentLivenessRoute(document: OpenAPIObject): void {
  document.paths[LIVENESS_PATH] = {
    get: {
      operationId: 'getLiveness',
      summary: 'Liveness: the process answers (no I/O)',
      tags: ['health'],
      responses: { '200': { description: 'The process is alive.', content: { 'application/json': { schema: ALIVE_SCHEMA } } } },
    },
  };
}

import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

const BODY_LIMIT_OF = 'bodyLimitOf';

/**
 * Marks a route whose JSON body is a batch: its body limit is
 * ingest.max_batch_bytes instead of server.body_limit_bytes (applied by
 * applyBodyLimits when the route is registered).
 */
export function BatchBodyLimit(): MethodDecorator {
  return RouteConfig({ [BODY_LIMIT_OF]: 'batch' });
}

/** Gives marked routes their own body limit; every other JSON body has Fastify's global one (server.body_limit_bytes). */
export function applyBodyLimits(fastify: FastifyInstance, limits: { batch: number }): void {
  fastify.addHook('onRoute', (route) => {
    const config = route.config as Record<string, unknown> | undefined;
    if (config?.[BODY_LIMIT_OF] === 'batch') route.bodyLimit = limits.batch;
  });
}

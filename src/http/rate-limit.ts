import fastifyRateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from '../common/api-problem';
import type { AppConfig } from '../config/app-config';
import { closeRedis, connectRateLimitRedis } from './redis-connection';
import { isWrite, rateLimitKey } from './rate-limit-key';
import { ApiKeyRegistry } from '../auth/api-key-registry';

// Probes from every load balancer and orchestrator: never limited. (GET /health/live
// is answered before Fastify anyway; this covers HEAD and query-string variants.)
const EXEMPT_ROUTES = new Set(['/health', '/health/live']);

/**
 * Rate limits per client (see rateLimitKey) with @fastify/rate-limit, on
 * every route registered after this: reads against rate_limit.max, writes
 * against rate_limit.write_max, per window. Counted when a request arrives,
 * before its body is read. Past the limit: 429 problem details with
 * Retry-After (set by the plugin).
 */
export async function registerRateLimit(app: NestFastifyApplication, config: AppConfig['rateLimit']): Promise<void> {
  if (!config.enabled) return;
  const keys = app.get(ApiKeyRegistry);
  const redis = config.redisUrl ? await connectRateLimitRedis(config.redisUrl) : undefined;
  if (redis) app.getHttpAdapter().getInstance().addHook('onClose', () => closeRedis(redis));
  const limitOf = (request: FastifyRequest): number => (isWrite(request.method) ? config.writeMax : config.max);
  await app.register(fastifyRateLimit, {
    global: true,
    max: limitOf,
    timeWindow: config.windowMs,
    keyGenerator: (request) => rateLimitKey(request, (presenting) => keys.identifyRequest(presenting).key),
    allowList: (request) => EXEMPT_ROUTES.has(request.routeOptions.url ?? ''),
    ...(redis ? { redis, nameSpace: config.redisKeyPrefix } : {}),
    // Only the Redis store fails; see connectRateLimitRedis for why requests then go through.
    skipOnError: true,
    errorResponseBuilder: (request, context) => {
      const writes = isWrite(request.method);
      const seconds = Math.round(config.windowMs / 1000);
      return new ApiProblem(
        429,
        'too_many_requests',
        `more than ${context.max} ${writes ? 'writes' : 'requests'} in ${seconds} s from this client ` +
          `(rate_limit.${writes ? 'write_max' : 'max'}, counted per API key, or per IP without one); retry in ${context.after}`,
        { limit: context.max, window_seconds: seconds },
      );
    },
  });
}

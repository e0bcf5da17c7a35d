import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

const READY_WAIT_MS = 2000;

/**
 * The Redis connection that holds the rate-limit counters shared by every
 * instance. While Redis is unreachable its commands fail at once (no offline
 * queue) and the limiter lets requests through: an outage of the counter
 * store must not take the API down with it. Start-up waits briefly for the
 * connection, so the first requests are counted too, but never fails on it.
 */
export async function connectRateLimitRedis(url: string, logger = new Logger('RateLimit')): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: READY_WAIT_MS, commandTimeout: 1000 });
  // Named by host and port only: the URL may carry a password.
  const where = `Redis at ${redis.options.host}:${redis.options.port}`;
  let down = false;
  redis.on('error', (error: Error) => {
    // ioredis retries with back-off and reports each failure: one line per outage is enough.
    if (down) return;
    down = true;
    logger.warn(`${where} is unreachable (${error.message}); rate limits are not enforced until it is back`);
  });
  redis.on('ready', () => {
    if (down) logger.log(`${where} is reachable again; rate limits are enforced`);
    down = false;
  });
  await new Promise<void>((resolve) => {
    const settle = (): void => {
      clearTimeout(timer);
      redis.off('ready', settle);
      redis.off('error', settle);
      resolve();
    };
    const timer = setTimeout(settle, READY_WAIT_MS);
    redis.once('ready', settle);
    redis.once('error', settle);
  });
  return redis;
}

export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}

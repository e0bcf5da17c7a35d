import { createHash, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { AppConfig } from '../../src/config/app-config';
import { TestApp, startTestApp, useTestApp } from '../harness/test-app';
import { HttpResult, get, postJson } from '../harness/http';
import { expectProblem, postBatch, uploadCsv } from '../harness/ingest-helpers';
import { startStreamingUpload } from '../harness/streaming-upload';
import { TEST_KEYS, bearer, withApiKeys } from '../harness/api-keys';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_UI = 'https://admin.example.com';

async function request(app: TestApp, path: string, init: RequestInit = {}): Promise<HttpResult> {
  const response = await fetch(app.baseUrl + path, init);
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') && text;
  return { status: response.status, headers: response.headers, body: json ? JSON.parse(text) : text, text };
}

function withRateLimit(limits: Partial<AppConfig['rateLimit']>, server: Partial<AppConfig['server']> = {}) {
  return (config: AppConfig): AppConfig => ({
    ...config,
    server: { ...config.server, ...server },
    rateLimit: { ...config.rateLimit, enabled: true, max: 5, writeMax: 2, windowMs: 60_000, ...limits },
  });
}

/** Sends GET `path` `times` times; answers the statuses. */
async function statuses(app: TestApp, path: string, times: number, headers: Record<string, string> = {}): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < times; i++) seen.push((await request(app, path, { headers })).status);
  return seen;
}

function expectRateLimited(res: HttpResult, setting: 'max' | 'write_max', limit: number): void {
  expectProblem(res, 429, '/problems/too_many_requests');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.body.detail).toContain(`more than ${limit}`);
  expect(res.body.detail).toContain(`rate_limit.${setting}`);
  expect(res.body).toMatchObject({ limit, window_seconds: 60, request_id: expect.any(String), instance: expect.any(String) });
}

describe('HTTP hardening', () => {
  describe('security headers (helmet)', () => {
    const app = useTestApp();

    it.each(['/departments', '/nowhere', '/health'])('are on every answer, errors included: %s', async (path) => {
      const res = await request(app, path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('x-dns-prefetch-control')).toBe('off');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-powered-by')).toBeNull();
    });

    it('keep Swagger UI at /docs working: every script and stylesheet it loads is allowed by its policy', async () => {
      const page = await request(app, '/docs');
      expect(page.status).toBe(200);
      const csp = page.headers.get('content-security-policy') ?? '';
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
      const styleSrc = /style-src ([^;]+)/.exec(csp)?.[1] ?? '';
      // Only same-origin scripts run: no inline script, no script from elsewhere.
      expect(scriptSrc.trim()).toBe("'self'");
      expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      // The page carries inline <style> blocks, which the policy must allow.
      expect(page.text).toMatch(/<style>/);
      expect(styleSrc).toContain("'unsafe-inline'");

      const base = new URL('/docs', app.baseUrl);
      const scripts = [...page.text.matchAll(/<script[^>]*\bsrc="([^"]+)"/gi)].map((m) => new URL(m[1], base));
      const styles = [...page.text.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/gi)].map((m) => new URL(m[1], base));
      expect(scripts.map((url) => url.pathname.split('/').pop())).toEqual(['swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'swagger-ui-init.js']);
      expect(styles.map((url) => url.pathname.split('/').pop())).toEqual(['swagger-ui.css']);
      for (const url of [...scripts, ...styles]) {
        expect(url.origin).toBe(app.baseUrl);
        const asset = await request(app, url.pathname + url.search);
        expect({ url: url.pathname, status: asset.status }).toEqual({ url: url.pathname, status: 200 });
        expect(asset.headers.get('content-type')).toMatch(url.pathname.endsWith('.css') ? /text\/css/ : /javascript/);
        expect(asset.text.length).toBeGreaterThan(100);
      }
      // The document the UI shows is there too.
      expect((await get(app.baseUrl, '/docs-json')).body.info.title).toBe('db-migration-api');
    });
  });

  describe('CORS, off by default', () => {
    const app = useTestApp();

    it('gives no cross-origin access: no CORS headers, and no preflight', async () => {
      const simple = await request(app, '/departments', { headers: { origin: ADMIN_UI } });
      expect(simple.status).toBe(200);
      expect(simple.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await request(app, '/departments/batch', {
        method: 'OPTIONS',
        headers: { origin: ADMIN_UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' },
      });
      expect(preflight.status).toBe(404);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
    });
  });

  describe('CORS with an allow-list (cors.origins)', () => {
    const app = useTestApp((c) => ({ ...c, cors: { origins: [ADMIN_UI, 'http://localhost:5173'] } }));
    const preflight = (origin: string) =>
      request(app, '/departments/batch', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key,idempotency-key' },
      });

    it('answers the preflight of an allowed origin', async () => {
      const res = await preflight(ADMIN_UI);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ADMIN_UI);
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-api-key');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('access-control-max-age')).toBe('600');
      expect(res.headers.get('vary')).toContain('Origin');
    });

    it('lets an allowed origin read answers, and the headers a client needs', async () => {
      const res = await request(app, '/departments', { headers: { origin: 'http://localhost:5173' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      const exposed = res.headers.get('access-control-expose-headers') ?? '';
      for (const header of ['Location', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed']) expect(exposed).toContain(header);
    });

    it.each(['https://evil.example.com', 'https://admin.example.com.evil.example', 'http://admin.example.com', 'null'])(
      'gives %s nothing: no CORS headers, its preflight a 404',
      async (origin) => {
        const res = await preflight(origin);
        expect(res.status).toBe(404);
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
        expect(res.headers.get('access-control-allow-methods')).toBeNull();
        const simple = await request(app, '/departments', { headers: { origin } });
        expect(simple.headers.get('access-control-allow-origin')).toBeNull();
      },
    );
  });

  describe('rate limits, in memory', () => {
    const app = useTestApp(withRateLimit({}));

    it('limit each IP: the answer after rate_limit.max is a 429 problem with Retry-After', async () => {
      const first = await request(app, '/departments');
      expect(first.headers.get('x-ratelimit-limit')).toBe('5');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('4');
      expect(await statuses(app, '/jobs', 4)).toEqual([200, 200, 200, 200]);
      expectRateLimited(await request(app, '/employees'), 'max', 5);
    });

    it('never limit /health nor /health/live', async () => {
      await statuses(app, '/departments', 6);
      expect(await statuses(app, '/health', 8)).toEqual(Array(8).fill(200));
      expect(await statuses(app, '/health/live', 8)).toEqual(Array(8).fill(200));
      expect((await request(app, '/health/live', { method: 'HEAD' })).status).toBe(200);
      expect((await request(app, '/health/live?probe=1')).status).toBe(200);
    });

    it('refuse a write past the limit before reading its body', async () => {
      // This test's IP has written nothing yet: two writes, then an upload whose body never ends.
      expect((await postBatch(app, 'jobs', { rows: [{ id: 1, title: 'A' }] })).status).toBe(201);
      expect((await postBatch(app, 'jobs', { rows: [{ id: 2, title: 'B' }] })).status).toBe(201);
      const unread = startStreamingUpload(app.baseUrl, '/jobs/upload');
      await unread.write('3,C\n');
      expectRateLimited(await unread.response, 'write_max', 2);
      unread.end();
    });
  });

  describe('rate limits per API key', () => {
    const app = useTestApp((config) => withApiKeys()(withRateLimit({})(config)));

    it('limit each valid key on its own, whether sent as Bearer or X-API-Key', async () => {
      expect(await statuses(app, '/departments', 3, bearer(TEST_KEYS.read))).toEqual([200, 200, 200]);
      expect(await statuses(app, '/departments', 2, { 'x-api-key': TEST_KEYS.read.key })).toEqual([200, 200]);
      expectRateLimited(await request(app, '/departments', { headers: bearer(TEST_KEYS.read) }), 'max', 5);
      // Another key has a counter of its own.
      expect(await statuses(app, '/departments', 5, bearer(TEST_KEYS.admin))).toEqual(Array(5).fill(200));
    });

    it('count made-up keys against the IP: a fresh key per request is no way around the limit', async () => {
      const madeUp = () => ({ authorization: `Bearer made-up-${randomUUID()}` });
      const seen: number[] = [];
      for (let i = 0; i < 6; i++) seen.push((await request(app, '/jobs', { headers: madeUp() })).status);
      expect(seen).toEqual([401, 401, 401, 401, 401, 429]);
    });

    it('count writes apart, against rate_limit.write_max', async () => {
      const key = bearer(TEST_KEYS.write);
      expect((await postBatch(app, 'departments', { rows: [{ id: 1, name: 'A' }] }, key)).status).toBe(201);
      expect((await uploadCsv(app, 'departments', '2,B\n', { headers: key })).status).toBe(201);
      expectRateLimited(await postBatch(app, 'departments', { rows: [{ id: 3, name: 'C' }] }, key), 'write_max', 2);
      // Its reads have a counter of their own.
      expect((await request(app, '/departments', { headers: key })).status).toBe(200);
    });
  });

  describe('rate limits behind a proxy (server.trust_proxy)', () => {
    const trusting = useTestApp(withRateLimit({ max: 2 }, { trustProxy: '127.0.0.1/8' }));
    const distrusting = useTestApp(withRateLimit({ max: 2 }));
    const from = (ip: string) => ({ 'x-forwarded-for': ip });

    it('count per client address from X-Forwarded-For when the proxy is trusted', async () => {
      expect(await statuses(trusting, '/departments', 3, from('203.0.113.7'))).toEqual([200, 200, 429]);
      expect(await statuses(trusting, '/departments', 2, from('203.0.113.8'))).toEqual([200, 200]);
      // The proxy appends the address it saw: what a client wrote before it is not believed.
      expect(await statuses(trusting, '/departments', 1, from('198.51.100.1, 203.0.113.7'))).toEqual([429]);
    });

    it('ignore X-Forwarded-For otherwise: a client cannot pick a fresh address', async () => {
      expect(await statuses(distrusting, '/departments', 2, from('203.0.113.7'))).toEqual([200, 200]);
      expect(await statuses(distrusting, '/departments', 1, from('203.0.113.8'))).toEqual([429]);
    });
  });

  describe('rate limits shared through Redis (REDIS_URL)', () => {
    const prefix = `dbm-test:${randomUUID()}:`;
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    const apps: TestApp[] = [];
    const shared = (config: AppConfig): AppConfig =>
      withApiKeys()(withRateLimit({ max: 4, writeMax: 2, redisUrl: REDIS_URL, redisKeyPrefix: prefix })(config));

    beforeAll(async () => {
      await redis.connect();
      apps.push(await startTestApp(shared), await startTestApp(shared));
    });
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()));
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });

    it('hold across two instances: one client, one counter', async () => {
      const [a, b] = apps;
      const headers = bearer(TEST_KEYS.read);
      expect(await statuses(a, '/departments', 2, headers)).toEqual([200, 200]);
      expect(await statuses(b, '/departments', 2, headers)).toEqual([200, 200]);
      expectRateLimited(await request(a, '/departments', { headers }), 'max', 4);
      expectRateLimited(await request(b, '/departments', { headers }), 'max', 4);
      expect((await request(b, '/departments', { headers: bearer(TEST_KEYS.admin) })).status).toBe(200);
    });

    it('store each key by its name, never its secret nor the secret\'s hash', async () => {
      const { key, name } = TEST_KEYS.write;
      await request(apps[0], '/departments', { headers: { 'x-api-key': key } });
      await postJson(apps[1].baseUrl, '/departments/batch', { rows: [{ id: 77, name: 'Seventy-seven' }] }, { 'x-api-key': key });
      const names = await redis.keys(`${prefix}*`);
      const hash = createHash('sha256').update(key).digest('hex');
      expect(names).toEqual(expect.arrayContaining([`${prefix}key:${name}`, `${prefix}key:${name}:write`]));
      expect(names.some((stored) => stored.includes(key) || stored.includes(hash))).toBe(false);
      expect(await redis.pttl(`${prefix}key:${name}`)).toBeGreaterThan(0);
    });

    it('count a client without a key by its IP, across instances too', async () => {
      const [a, b] = apps;
      // Without a key each write is a 401, and still counted: the third is over the limit.
      expect((await postBatch(a, 'jobs', { rows: [{ id: 1, title: 'A' }] })).status).toBe(401);
      expect((await postBatch(b, 'jobs', { rows: [{ id: 2, title: 'B' }] })).status).toBe(401);
      expectRateLimited(await postBatch(a, 'jobs', { rows: [{ id: 3, title: 'C' }] }), 'write_max', 2);
      expect(await redis.exists(`${prefix}ip:127.0.0.1:write`)).toBe(1);
    });
  });

  describe('rate limits with Redis unreachable', () => {
    const app = useTestApp(withRateLimit({ max: 1, redisUrl: 'redis://127.0.0.1:1' }));

    it('let requests through rather than fail them', async () => {
      expect(await statuses(app, '/departments', 3)).toEqual([200, 200, 200]);
    });
  });
});

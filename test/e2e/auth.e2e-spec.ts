import { TEST_KEYS, TestKey, bearer, withApiKeys } from '../harness/api-keys';
import { get, postJson, upload } from '../harness/http';
import { csv, dataFile, expectProblem } from '../harness/ingest-helpers';
import { startServerProcess } from '../harness/server-process';
import { useTestApp } from '../harness/test-app';
import { createTestDatabase } from '../harness/test-database';

const { read, write, admin } = TEST_KEYS;

async function call(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const response = await fetch(baseUrl + path, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text.startsWith('{') ? JSON.parse(text) : text };
}

describe('API keys', () => {
  const app = useTestApp(withApiKeys());

  describe('without a valid key', () => {
    it.each([
      ['GET', '/departments'],
      ['GET', '/ingestions'],
      ['GET', '/metrics/hiring_by_quarter?year=2021'],
      ['POST', '/departments/batch'],
      ['POST', '/backups'],
    ])('%s %s answers 401 with problem details and WWW-Authenticate', async (method, path) => {
      const res = await call(app.baseUrl, method, path);
      expectProblem({ ...res, body: res.body }, 401, '/problems/unauthorized');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('answers 401 to a wrong key, without echoing it', async () => {
      const wrong = 'wrong-key-0123456789abcdef-SECRET';
      for (const headers of [{ authorization: `Bearer ${wrong}` }, { 'x-api-key': wrong }] as Record<string, string>[]) {
        const res = await call(app.baseUrl, 'GET', '/departments', headers);
        expect(res.status).toBe(401);
        expect(res.text).not.toContain(wrong);
      }
    });

    it('answers 401 to an Authorization header that is not a bearer key', async () => {
      expect((await call(app.baseUrl, 'GET', '/departments', { authorization: `Basic ${Buffer.from(`x:${read.key}`).toString('base64')}` })).status).toBe(401);
    });
  });

  describe('roles', () => {
    const cases: [string, string, string, TestKey, number][] = [
      ['read lists', 'GET', '/departments', read, 200],
      ['read reads the audit trail', 'GET', '/ingestions', read, 200],
      ['read cannot load', 'POST', '/departments/batch', read, 403],
      ['read cannot back up', 'POST', '/backups', read, 403],
      ['write loads', 'POST', '/departments/batch', write, 201],
      ['write cannot list backups', 'GET', '/backups', write, 403],
      ['write cannot back up', 'POST', '/backups', write, 403],
      ['admin backs up', 'POST', '/backups', admin, 201],
      ['admin loads too', 'POST', '/departments/batch', admin, 201],
    ];
    it.each(cases)('%s (%s %s)', async (_what, method, path, key, status) => {
      const body = method === 'GET' ? undefined : path.endsWith('/batch') ? JSON.stringify({ mode: 'upsert', rows: [{ id: 1, name: 'Sales' }] }) : '{}';
      const headers = { ...bearer(key), ...(body ? { 'content-type': 'application/json' } : {}) };
      const res = await call(app.baseUrl, method, path, headers, body);
      expect(res.status).toBe(status);
      if (status === 403) {
        expectProblem(res, 403, '/problems/forbidden');
        expect(res.body.detail).toContain(`"${key.name}"`);
      }
    });

    it('takes the key from X-API-Key as well, and a lower-case bearer', async () => {
      expect((await call(app.baseUrl, 'GET', '/jobs', { 'x-api-key': read.key })).status).toBe(200);
      expect((await call(app.baseUrl, 'GET', '/jobs', { authorization: `bearer ${read.key}` })).status).toBe(200);
    });

    it('lets a write key upload a CSV, and records the key\'s name on the ingestion', async () => {
      const res = await upload(app.baseUrl, '/departments/upload', csv('id,name', '1,Sales'), { headers: bearer(write) });
      expect(res.status).toBe(201);
      expect(res.body.api_key).toBe(write.name);
      const listed = await call(app.baseUrl, 'GET', '/ingestions', bearer(read));
      expect(listed.body.items[0]).toMatchObject({ id: res.body.id, api_key: write.name });
    });
  });

  it('GET /auth/whoami tells each key its name and role, and answers 401 without one', async () => {
    for (const key of [read, write, admin]) {
      const res = await get(app.baseUrl, '/auth/whoami', bearer(key));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ authentication: 'api_key', key_name: key.name, role: key.role });
    }
    expect((await get(app.baseUrl, '/auth/whoami')).status).toBe(401);
  });

  it('leaves /health, /health/live and /docs open', async () => {
    expect((await get(app.baseUrl, '/health')).status).toBe(200);
    expect((await get(app.baseUrl, '/health/live')).status).toBe(200);
    expect((await call(app.baseUrl, 'HEAD', '/health/live')).status).toBe(200);
    expect((await get(app.baseUrl, '/docs-json')).status).toBe(200);
  });

  it('declares both schemes on every operation but the health probes, with the role each needs', async () => {
    const document = (await get(app.baseUrl, '/docs-json')).body;
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      api_key: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
    });
    const operations = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    for (const { path, method, operation } of operations) {
      if (path.startsWith('/health')) {
        expect({ path, security: operation.security }).toEqual({ path, security: undefined });
        continue;
      }
      const expected = path.startsWith('/backups') ? 'admin' : method === 'get' ? 'read' : 'write';
      expect({ path, method, role: operation['x-required-role'], security: operation.security }).toEqual({
        path,
        method,
        role: expected,
        security: [{ bearer: [] }, { api_key: [] }],
      });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
  });
});

describe('API keys: /docs with auth.protect_docs', () => {
  const app = useTestApp(withApiKeys(Object.values(TEST_KEYS), { protectDocs: true }));

  it('needs a read key for the document and the UI', async () => {
    expectProblem(await get(app.baseUrl, '/docs-json'), 401, '/problems/unauthorized');
    expect((await call(app.baseUrl, 'GET', '/docs', {})).status).toBe(401);
    expect((await call(app.baseUrl, 'GET', '/docs-json', bearer(read))).status).toBe(200);
    expect((await get(app.baseUrl, '/health')).status).toBe(200);
  });
});

describe('API keys in a real process', () => {
  it('keeps the key out of the logs, whatever the request', async () => {
    const database = await createTestDatabase();
    const server = await startServerProcess({
      env: { DATABASE_URL: database.url, NODE_ENV: 'production', API_KEYS: `ops:admin:${admin.key},etl:write:sha256:${'ab'.repeat(32)}`, LOG_LEVEL: 'debug' },
    });
    try {
      await call(server.baseUrl, 'GET', '/departments', bearer(admin));
      await call(server.baseUrl, 'GET', `/departments?key=x`, { 'x-api-key': admin.key });
      await call(server.baseUrl, 'GET', '/departments', { authorization: `Bearer ${admin.key}x` });
      await upload(server.baseUrl, '/departments/upload', dataFile('departments.csv'), { headers: bearer(admin) });
      await postJson(server.baseUrl, '/departments/batch', { rows: [{ id: 0, name: admin.key }] }, bearer(admin));
      const output = server.output();
      expect(output).toContain('API keys enforced');
      expect(output).toContain('"name":"ops"');
      expect(output).not.toContain(admin.key.slice(0, 20));
    } finally {
      await server.stop();
      await database.drop();
    }
  });

  it('refuses to start in production without keys, in one line naming AUTH=none', async () => {
    const database = await createTestDatabase();
    try {
      const server = startServerProcess({ env: { DATABASE_URL: database.url, NODE_ENV: 'production' }, readyTimeoutMs: 20_000 });
      await expect(server).rejects.toThrow(/no API keys are configured .* AUTH=none/);
    } finally {
      await database.drop();
    }
  });

  it('starts without keys in development with one warning line, and lets everyone in', async () => {
    const database = await createTestDatabase();
    const server = await startServerProcess({ env: { DATABASE_URL: database.url, NODE_ENV: 'development' } });
    try {
      expect((await get(server.baseUrl, '/departments')).status).toBe(200);
      expect((await get(server.baseUrl, '/auth/whoami')).body).toEqual({ authentication: 'off', key_name: null, role: 'admin' });
      const warnings = server.output().split('\n').filter((line) => line.includes('no API keys configured'));
      expect(warnings).toHaveLength(1);
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});

describe('API keys and Idempotency-Key', () => {
  const app = useTestApp(withApiKeys());

  it('never replays one key\'s answer to another key: the same Idempotency-Key from another client is a 409', async () => {
    const body = { rows: [{ id: 5, name: 'Legal' }] };
    const idempotency = { 'idempotency-key': 'shared-key-1' };
    const first = await postJson(app.baseUrl, '/departments/batch', body, { ...bearer(write), ...idempotency });
    expect(first.status).toBe(201);
    const replay = await postJson(app.baseUrl, '/departments/batch', body, { ...bearer(write), ...idempotency });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const other = await postJson(app.baseUrl, '/departments/batch', body, { ...bearer(admin), ...idempotency });
    expectProblem(other, 409, '/problems/idempotency_key_reused');
    expect(other.text).not.toContain(write.name);
  });
});

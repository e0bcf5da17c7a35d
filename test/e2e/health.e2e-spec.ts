import { TestApp, startTestApp } from '../harness/test-app';
import { get } from '../harness/http';

describe('health and docs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('GET /health reports the database and migrations up', async () => {
    const res = await get(app.baseUrl, '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, migrations: { status: 'up' } } });
  });

  it('GET /health turns 503 when a migration is missing', async () => {
    await app.dataSource.undoLastMigration();
    try {
      const res = await get(app.baseUrl, '/health');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.error.migrations.status).toBe('down');
    } finally {
      await app.dataSource.runMigrations();
    }
  });

  it('GET /health/live answers without I/O', async () => {
    const res = await get(app.baseUrl, '/health/live');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers liveness the same through Fastify (HEAD, a query string)', async () => {
    expect((await get(app.baseUrl, '/health/live?probe=1')).body).toEqual({ status: 'ok' });
    expect((await fetch(`${app.baseUrl}/health/live`, { method: 'HEAD' })).status).toBe(200);
  });

  it('serves the OpenAPI document with an operationId on every operation', async () => {
    const res = await get(app.baseUrl, '/docs-json');
    expect(res.status).toBe(200);
    const operations = Object.values(res.body.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((p) =>
      Object.values(p),
    );
    expect(operations.length).toBeGreaterThan(10);
    for (const operation of operations) expect(operation.operationId).toEqual(expect.any(String));
    const upload = res.body.paths['/employees/upload'].post;
    expect(upload.requestBody.content['multipart/form-data'].schema.properties.file).toEqual(
      expect.objectContaining({ type: 'string', format: 'binary' }),
    );
  });

  it('answers unknown routes with problem details', async () => {
    const res = await get(app.baseUrl, '/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ type: '/problems/not_found', status: 404, instance: '/nope' });
  });
});

import Fastify, { FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerAdminUi } from './admin-ui';

describe('the admin UI at /admin', () => {
  let dir: string;
  let server: FastifyInstance;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbm-admin-'));
    server = Fastify();
    await registerAdminUi(server, join(dir, 'admin'));
    await server.ready();
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function build(): void {
    mkdirSync(join(dir, 'admin', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'admin', 'index.html'), '<!doctype html><title>admin</title>');
    writeFileSync(join(dir, 'admin', 'assets', 'index-abc123.js'), 'console.log(1)');
  }

  it('says how to build it when it is not built, as a problem', async () => {
    const response = await server.inject({ method: 'GET', url: '/admin' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: '/problems/admin_ui_not_built', status: 404, detail: expect.stringContaining('npm run build') });
  });

  it('serves index.html for /admin, /admin/ and any page path below it, once built (no restart needed)', async () => {
    build();
    for (const url of ['/admin', '/admin/', '/admin/history/12', '/admin/data/employees?x=1']) {
      const response = await server.inject({ method: 'GET', url });
      expect({ url, status: response.statusCode, type: response.headers['content-type'] }).toEqual({ url, status: 200, type: 'text/html; charset=utf-8' });
      expect(response.body).toContain('<title>admin</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable, and a missing asset as a 404 problem rather than the page', async () => {
    build();
    const asset = await server.inject({ method: 'GET', url: '/admin/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await server.inject({ method: 'GET', url: '/admin/assets/gone.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers other methods under /admin with a 404 problem, and leaves other paths alone', async () => {
    build();
    expect((await server.inject({ method: 'POST', url: '/admin/history' })).statusCode).toBe(404);
    const outside = await server.inject({ method: 'GET', url: '/administrator' });
    expect(outside.statusCode).toBe(404);
    expect(outside.body).not.toContain('<title>admin</title>');
  });
});

import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { LIVENESS_PATH, livenessFirstServer } from './liveness.route';

describe(livenessFirstServer.name, () => {
  let server: Server;
  let baseUrl: string;
  const handled: string[] = [];

  beforeAll(async () => {
    server = livenessFirstServer(305_000)((request, response) => {
      handled.push(`${request.method} ${request.url}`);
      response.end('from the app');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers GET /health/live itself, without the app', async () => {
    const response = await fetch(baseUrl + LIVENESS_PATH);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(handled).toEqual([]);
  });

  it('hands every other request to the app, HEAD and query strings of the same path included', async () => {
    for (const [method, path] of [
      ['GET', '/health'],
      ['HEAD', LIVENESS_PATH],
      ['GET', `${LIVENESS_PATH}?probe=1`],
      ['POST', LIVENESS_PATH],
    ]) {
      await fetch(baseUrl + path, { method });
    }
    expect(handled).toEqual(['GET /health', `HEAD ${LIVENESS_PATH}`, `GET ${LIVENESS_PATH}?probe=1`, `POST ${LIVENESS_PATH}`]);
  });

  it('keeps idle connections as long as it is told (Fastify sets it only on servers it makes)', () => {
    expect(server.keepAliveTimeout).toBe(305_000);
  });
});

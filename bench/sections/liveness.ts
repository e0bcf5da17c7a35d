import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { Figure } from '../lib/report';

// The same JSON answer from Fastify alone: the ceiling for our /health/live.
const BARE_FASTIFY = `
const app = require('fastify')();
app.get('/health/live', async () => ({ status: 'ok' }));
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).then(() => console.log('ready'));
`;

async function requestsPerSecond(url: string, seconds: number): Promise<number> {
  const result = await autocannon({ url, connections: 50, duration: seconds });
  return result.requests.average;
}

export async function benchLiveness(ourBaseUrl: string, port: number, seconds: number): Promise<Figure> {
  const bare = spawn(process.execPath, ['-e', BARE_FASTIFY], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    bare.stdout?.once('data', () => resolve());
    bare.once('exit', (code) => reject(new Error(`bare Fastify exited (${code})`)));
  });
  try {
    const baseline = await requestsPerSecond(`http://127.0.0.1:${port}/health/live`, seconds);
    const ours = await requestsPerSecond(`${ourBaseUrl}/health/live`, seconds);
    return { figure: 'GET /health/live (vs bare Fastify)', ours, baseline, unit: 'req/s', target: '>= 0.7' };
  } finally {
    bare.kill('SIGTERM');
  }
}

import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunningServer {
  readonly baseUrl: string;
  readonly pid: number;
  rssBytes(): number;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

/** Node's flags from `npm run start:prod`, so the bench runs the service exactly as production does. */
function productionNodeFlags(): string[] {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return scripts['start:prod'].split(/\s+/).filter((arg) => arg.startsWith('--'));
}

/** Starts the built service (dist/) in production mode on a port of its own and waits until it is ready. */
export async function startServer(databaseUrl: string, port: number, extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, [...productionNodeFlags(), join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    // AUTH=none: production mode refuses to start without keys, and the figures are about loading, not the key check.
    // No rate limits either: the bench and the local load runs send from one address far more than a client may.
    env: {
      ...process.env,
      NODE_ENV: 'production',
      AUTH: 'none',
      RATE_LIMIT_ENABLED: 'false',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitReady(baseUrl, child, () => stderr);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return {
    baseUrl,
    pid: child.pid as number,
    rssBytes: () => rssOf(child.pid as number),
    stop: () => stop(child),
  };
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** Samples a process's RSS every 50 ms while `work` runs; returns the work's result and the peak. */
export async function withPeakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number; idle: number }> {
  const idle = rssOf(pid);
  let peak = idle;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, rssOf(pid)), idle };
  } finally {
    clearInterval(timer);
  }
}

async function waitReady(baseUrl: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr()}`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server did not become ready: ${stderr()}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The service as its own OS process: for what only a real process shows (signals, exit codes, a kill mid-upload). */
export interface ServerProcess {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** Sends the signal and waits for the exit; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

export interface ServerProcessOptions {
  /** The command line; by default the TypeScript sources under ts-node (no build needed). */
  readonly command?: readonly string[];
  readonly cwd?: string;
  readonly env: Record<string, string>;
  /** How long to wait for GET /health to answer 200. */
  readonly readyTimeoutMs?: number;
}

const REPO_ROOT = join(__dirname, '..', '..');
const TS_ENTRY = [process.execPath, '-r', 'ts-node/register/transpile-only', 'src/main.ts'];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const [command, ...args] = options.command ?? TS_ENTRY;
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    // Only what the caller names, plus PATH: the process must not lean on this shell's environment.
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const baseUrl = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    baseUrl,
    child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM', timeoutMs = 30_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  try {
    await waitUntilReady(baseUrl, exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await server.stop('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`);
  }
  return server;
}

async function waitUntilReady(baseUrl: string, exited: Promise<number | string>, timeoutMs: number): Promise<void> {
  let ended: number | string | undefined;
  void exited.then((code) => (ended = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ended !== undefined) throw new Error(`the server exited (${ended}) before it was ready`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server was not ready within ${timeoutMs} ms`);
}

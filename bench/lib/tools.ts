import { execFileSync, spawnSync } from 'node:child_process';

export const REQUIRED_TOOLS = [
  { command: 'psql', debian: 'postgresql-client' },
  { command: 'sqlite3', debian: 'sqlite3' },
] as const;

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/**
 * Finds the command-line tools the baselines need, installs the missing ones
 * from Debian when running as root, and otherwise names what is missing.
 */
export function ensureTools(): void {
  const missing = REQUIRED_TOOLS.filter((tool) => !has(tool.command));
  if (missing.length > 0 && process.getuid?.() === 0 && has('apt-get')) {
    const packages = missing.map((tool) => tool.debian);
    console.log(`bench: installing ${packages.join(', ')} from Debian`);
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit' });
  }
  const still = REQUIRED_TOOLS.filter((tool) => !has(tool.command));
  if (still.length > 0) {
    throw new Error(
      `bench: missing ${still.map((t) => `${t.command} (Debian package ${t.debian})`).join(', ')}; install them and run again`,
    );
  }
}

/** Runs a command and returns its wall time in milliseconds; throws with its stderr on failure. */
export function timeCommand(command: string, args: string[], input?: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  if (/ERROR|Error:/.test(result.stderr ?? '')) throw new Error(`${command} reported: ${result.stderr}`);
  return elapsed;
}

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const REPO = join(__dirname, '..', '..');

/** Where the browser tests leave a screenshot of each page (CI prints it; git ignores it). */
export const SCREENSHOT_DIR = join(REPO, 'test-artifacts', 'screenshots');

/**
 * Builds the admin UI into dist/admin, its client generated from this app's own
 * /docs-json: `npm test` runs before `npm run build`, so the browser tests build
 * the UI they test rather than skip for want of one.
 */
export async function buildAdminUi(openApiUrl: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [join(REPO, 'admin-ui', 'scripts', 'build.mjs'), '--openapi', openApiUrl], {
      cwd: REPO,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`building the admin UI failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
  if (!existsSync(join(REPO, 'dist', 'admin', 'index.html'))) throw new Error('building the admin UI left no dist/admin/index.html');
}

/** Where a Chromium may be: Debian's first (.ci/run installs it), then Ubuntu's and Google Chrome (GitHub's runners). */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** CHROMIUM_PATH, else the first Chromium installed. Playwright's own browser download does not work on these machines. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!path || !existsSync(path)) {
    throw new Error(`no Chromium found (${process.env.CHROMIUM_PATH ?? CHROMIUM_CANDIDATES.join(', ')}): apt-get install -y chromium, or set CHROMIUM_PATH`);
  }
  return path;
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

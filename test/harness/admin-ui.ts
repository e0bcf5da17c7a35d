import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type * as Axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/** axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA (contrast included). */
const WCAG_A_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/**
 * What axe-core finds wrong in the page as shown now, one line per rule and
 * element (empty: nothing). axe goes in by page.evaluate (DevTools), not by
 * page.addScriptTag: the app's content security policy refuses inline scripts,
 * as it should.
 */
export async function auditAccessibility(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  if (!loaded) await page.evaluate(readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8'));
  const violations = await page.evaluate(
    (values) => (globalThis as unknown as { axe: typeof Axe }).axe.run({ runOnly: { type: 'tag', values }, resultTypes: ['violations'] }).then((r) => r.violations),
    WCAG_A_AA,
  );
  return violations.flatMap((rule) =>
    rule.nodes.map((node) => `${rule.id} (${node.impact ?? rule.impact}): ${rule.help} at ${node.target.join(' ')}\n    ${node.failureSummary?.replace(/\n/g, '\n    ') ?? ''}`),
  );
}

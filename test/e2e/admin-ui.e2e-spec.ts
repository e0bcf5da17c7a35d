import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SCREENSHOT_DIR, buildAdminUi, launchChromium } from '../harness/admin-ui';
import { TEST_KEYS, bearer, withApiKeys } from '../harness/api-keys';
import { TestApp, startTestApp } from '../harness/test-app';

/**
 * The admin UI in a real browser (headless Chromium) against the real app on
 * SQLite, with API keys on as in production. The steps build on each other
 * (one app, one page, no reset between them), as a person would use it.
 */
const DATA = join(__dirname, '..', '..', 'data');
const lines = (file: string): string[] => readFileSync(join(DATA, file), 'utf8').split('\n').filter((l) => l.trim() !== '');

/** Departments with hires in the latest year of the sample employees: the metrics page's default year. */
function departmentsHiringInLatestYear(): { year: number; departments: number } {
  const hires = lines('hired_employees.csv').map((l) => l.split(','));
  const year = Math.max(...hires.map((h) => Number(h[2].slice(0, 4))));
  return { year, departments: new Set(hires.filter((h) => h[2].startsWith(String(year))).map((h) => h[3])).size };
}

describe('admin UI in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  /** The same page on a phone's width too: nothing may need a wider screen. */
  async function shotNarrow(name: string): Promise<void> {
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(`${name}-390px`);
    // The page must not scroll sideways at 390 px (wide tables scroll inside their own box).
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  beforeAll(async () => {
    app = await startTestApp(withApiKeys([TEST_KEYS.write, TEST_KEYS.read]));
    await buildAdminUi(`${app.baseUrl}/docs-json`);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Every step waits on a state of the page; none should take long on a loaded CI machine either.
    page.setDefaultTimeout(15_000);
    // A script error would otherwise pass unnoticed until some wait timed out.
    page.on('pageerror', (error) => console.error(`admin UI page error: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    console.log(`admin UI e2e: screenshots in ${SCREENSHOT_DIR}`);
  });

  async function upload(file: string, options: { onError?: 'skip' } = {}): Promise<void> {
    await page.getByLabel('CSV file').setInputFiles(join(DATA, file));
    await page.getByText(/^Looks like/).waitFor();
    if (options.onError) await page.getByLabel('On error').selectOption(options.onError);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('heading', { name: new RegExp(`from ${file.replace('.', '\\.')}`) }).waitFor();
  }

  const count = (field: string): Promise<string | null> => page.locator(`[data-count="${field}"] dd`).textContent();

  it('asks for an API key, keeps it out of the URL, then loads the three sample files and shows their counts', async () => {
    await page.goto(`${app.baseUrl}/admin`);
    await page.getByRole('heading', { name: 'API key needed' }).waitFor();
    await shot('01-key-prompt');
    await page.getByLabel('API key', { exact: true }).fill(TEST_KEYS.write.key);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByRole('heading', { name: 'Upload a CSV file' }).waitFor();
    expect(page.url()).not.toContain(TEST_KEYS.write.key);
    await expect(page.getByTestId('key-role').textContent()).resolves.toBe('Key with write access');

    for (const file of ['departments.csv', 'jobs.csv', 'hired_employees.csv']) {
      await upload(file);
      await expect(page.getByTestId('ingestion-report').getByText('succeeded', { exact: true }).count()).resolves.toBe(1);
      expect({ file, inserted: await count('inserted'), rejected: await count('rejected') }).toEqual({
        file,
        inserted: String(lines(file).length),
        rejected: '0',
      });
    }
    // The legacy files have no header: the report says so, and what it read.
    await expect(page.locator('.facts').textContent()).resolves.toContain('no (columns in canonical order)');
    await shot('02-upload-report');
  });

  it('uploads a broken file with on_error=skip, lists its line errors, and downloads the rejected rows', async () => {
    await upload('hired_employees_broken.csv', { onError: 'skip' });
    await expect(count('inserted')).resolves.toBe('1');
    await expect(count('rejected')).resolves.toBe('4');
    const errorRows = page.locator('table.errors tbody tr');
    await expect(errorRows.count()).resolves.toBe(4);
    await expect(errorRows.locator('td:first-child').allTextContents()).resolves.toEqual(['3', '4', '5', '6']);
    await expect(errorRows.nth(1).textContent()).resolves.toContain('2021-02-30');
    // The detected header mapping: the file's "datetime" column is hire_date.
    await expect(page.locator('table.mapping').textContent()).resolves.toMatch(/datetime\s*hire_date/);
    await shot('03-upload-errors');
    await shotNarrow('03-upload-errors');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download rejected rows/ }).click()]);
    const rejects = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(rejects[0]).toBe('id,name,datetime,department_id,job_id,line,column,error_code,message');
    expect(rejects).toHaveLength(5);
    expect(download.suggestedFilename()).toMatch(/^ingestion-\d+-rejects\.csv$/);
  });

  it('shows the history newest first, filters it by status, and opens an entry with its errors', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    const rows = page.getByTestId('history-table').locator('tbody tr');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(4);
    await expect(rows.first().textContent()).resolves.toContain('hired_employees_broken.csv');
    await shot('04-history');
    await shotNarrow('04-history');

    await page.getByLabel('Status').selectOption('succeeded_with_rejects');
    await page.getByTestId('pager-range').getByText('1–1 of 1').waitFor();
    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { name: /^Ingestion #\d+$/ }).waitFor();
    await page.locator('table.errors').waitFor();
    await expect(page.locator('table.errors tbody tr').count()).resolves.toBe(4);
    await shot('05-history-detail');

    // An id that does not exist: the API's problem, not a blank page.
    await page.goto(`${app.baseUrl}/admin/history/999999`);
    await page.getByRole('alert').getByText('Not Found').waitFor();
  });

  it('browses employees with a department filter', async () => {
    await page.getByRole('link', { name: 'Data' }).click();
    await page.getByTestId('data-table').waitFor();
    const expected = (await (await fetch(`${app.baseUrl}/employees?department_id=1&limit=1`, { headers: bearer(TEST_KEYS.read) })).json()) as { total: number };
    expect(expected.total).toBeGreaterThan(0);

    await page.getByLabel('Department id').fill('1');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByTestId('pager-range').getByText(`1–${expected.total} of ${expected.total}`).waitFor();
    const departments = await page.getByTestId('data-table').locator('tbody tr td:nth-child(4)').allTextContents();
    expect(departments).toEqual(Array(expected.total).fill('1'));
    await shot('06-data-employees');
    await shotNarrow('06-data-employees');
  });

  it('charts the metrics of the latest year with hires: one bar per department that hired, and the mean', async () => {
    const { year, departments } = departmentsHiringInLatestYear();
    await page.getByRole('link', { name: 'Metrics' }).click();
    await page.locator('#hiring-chart').waitFor();
    await expect(page.getByRole('spinbutton', { name: 'Year' }).inputValue()).resolves.toBe(String(year));
    await expect(page.locator('#hiring-chart g.bar').count()).resolves.toBe(departments);
    await expect(page.locator('#above-mean-chart .marker line').count()).resolves.toBe(1);
    await shot('07-metrics');
    await shotNarrow('07-metrics');
  });

  it('with a read-only key, disables uploads and says why', async () => {
    await page.getByRole('button', { name: 'Forget key' }).click();
    await page.getByLabel('API key', { exact: true }).fill(TEST_KEYS.read.key);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByTestId('key-role').getByText('Read-only key').waitFor();
    await page.getByRole('link', { name: 'Upload' }).click();
    await expect(page.getByRole('button', { name: 'Upload', exact: true }).isDisabled()).resolves.toBe(true);
    await expect(page.locator('#upload-refusal').textContent()).resolves.toMatch(/role write, and the key in use is read-only/);
    await shot('09-read-only-key');
  });

  it('shows the upload\'s progress in bytes and percent, and cancels it', async () => {
    await page.getByRole('button', { name: 'Forget key' }).click();
    await page.getByLabel('API key', { exact: true }).fill(TEST_KEYS.write.key);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByTestId('key-role').getByText('Key with write access').waitFor();
    // A few MB sent at 256 KiB/s (Chromium's network throttling): slow enough to watch and to cancel.
    const big = join(tmpdir(), `admin-ui-big-${process.pid}.csv`);
    writeFileSync(big, Array.from({ length: 60_000 }, (_, i) => `${100_000 + i},Person ${i},2021-06-01T10:00:00Z,1,1`).join('\n'));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    try {
      await page.getByLabel('CSV file').setInputFiles(big);
      await page.getByText(/^Looks like employees/).waitFor();
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      const percent = page.getByTestId('upload-percent');
      await percent.getByText(/^([1-9]|[1-9]\d)%$/).waitFor();
      await expect(page.locator('.progress-text').textContent()).resolves.toMatch(/[\d.]+ (KiB|MiB) of [\d.]+ MiB sent/);
      await shot('10-upload-progress');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('status').getByText(/Upload cancelled/).waitFor();
    } finally {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      rmSync(big, { force: true });
    }
  });
});

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, FileChooser, Locator, Page } from 'playwright-core';
import { SCREENSHOT_DIR, auditAccessibility, buildAdminUi, launchChromium } from '../harness/admin-ui';
import { TEST_KEYS, TestKey, bearer, withApiKeys } from '../harness/api-keys';
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
  /** Nothing axe-core can find against WCAG 2 A/AA, at the desktop width and at a phone's. */
  async function expectAccessible(): Promise<void> {
    const found: string[] = [];
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(viewport);
      found.push(...(await auditAccessibility(page)).map((violation) => `at ${viewport.width} px: ${violation}`));
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(found).toEqual([]);
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

  /** Uploads a file from data/, into `table` or (auto) the table its header names. */
  async function upload(file: string, options: { table?: string; onError?: 'skip' } = {}): Promise<void> {
    await page.getByLabel('CSV file').setInputFiles(join(DATA, file));
    await page.getByRole('button', { name: 'Upload', exact: true }).and(page.locator(':enabled')).waitFor();
    await page.getByLabel('Table', { exact: true }).selectOption(options.table ?? 'auto');
    if (options.onError) await page.getByLabel('On error').selectOption(options.onError);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('heading', { name: new RegExp(`from ${file.replace('.', '\\.')}`) }).waitFor();
  }

  /** Forgets the key in use and enters another, as a person switching keys would. */
  async function switchKey(key: TestKey): Promise<void> {
    await page.getByRole('button', { name: 'Forget key' }).click();
    await page.getByLabel('API key', { exact: true }).fill(key.key);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByTestId('key-role').getByText(`Key "${key.name}", role ${key.role}`).waitFor();
  }

  const count = (field: string): Promise<string | null> => page.locator(`[data-count="${field}"] dd`).textContent();

  it('asks for an API key, keeps it out of the URL, then loads the three sample files and shows their counts', async () => {
    await page.goto(`${app.baseUrl}/admin`);
    await page.getByRole('heading', { name: 'API key needed' }).waitFor();
    await shot('01-key-prompt');
    await expectAccessible();
    await page.getByLabel('API key', { exact: true }).fill(TEST_KEYS.write.key);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByRole('heading', { name: 'Upload a CSV file' }).waitFor();
    expect(page.url()).not.toContain(TEST_KEYS.write.key);
    await expect(page.getByTestId('key-role').textContent()).resolves.toBe('Key "etl-nightly", role write');
    // The options show what the service would use (GET /ingest/defaults), and leave the table to the service.
    await expect(page.getByLabel('Mode').locator('option[value=""]').textContent()).resolves.toBe(`Server default (${app.config.ingest.defaultMode})`);
    await expect(page.getByLabel('Table', { exact: true }).inputValue()).resolves.toBe('auto');

    // A legacy export has no header to tell its table by: the service's problem says so, and nothing is loaded.
    await page.getByLabel('CSV file').setInputFiles(join(DATA, 'departments.csv'));
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('alert').getByText(/no header to tell it by/).waitFor();
    await shot('02-upload-needs-table');

    const tables: Record<string, string> = { 'departments.csv': 'departments', 'jobs.csv': 'jobs', 'hired_employees.csv': 'employees' };
    for (const [file, table] of Object.entries(tables)) {
      await upload(file, { table });
      await expect(page.getByTestId('ingestion-report').getByText('succeeded', { exact: true }).count()).resolves.toBe(1);
      expect({ file, inserted: await count('inserted'), rejected: await count('rejected') }).toEqual({
        file,
        inserted: String(lines(file).length),
        rejected: '0',
      });
      await page.getByRole('heading', { name: new RegExp(`: ${table} from ${file.replace('.', '\\.')}`) }).waitFor();
    }
    // The legacy files have no header: the report says so, and what it read.
    await expect(page.locator('.facts').textContent()).resolves.toContain('no (columns in canonical order)');
    await shot('02-upload-report');
    await expectAccessible();
  });

  it('uploads a broken file with on_error=skip, lists its line errors, and downloads the rejected rows', async () => {
    // It has a header: the service tells the table from it, and the report says so.
    await upload('hired_employees_broken.csv', { onError: 'skip' });
    await page.getByRole('heading', { name: /: employees from hired_employees_broken\.csv/ }).waitFor();
    await expect(page.getByTestId('table-inferred-from').textContent()).resolves.toBe("by the service, from the header's column names");
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
    await expectAccessible();

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
    await expectAccessible();

    await page.getByLabel('Status').selectOption('succeeded_with_rejects');
    await page.getByTestId('pager-range').getByText('1–1 of 1').waitFor();
    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { name: /^Ingestion #\d+$/ }).waitFor();
    await page.locator('table.errors').waitFor();
    await expect(page.locator('table.errors tbody tr').count()).resolves.toBe(4);
    await shot('05-history-detail');
    await expectAccessible();

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
    await expectAccessible();
  });

  it('charts the metrics of the latest year with hires: one bar per department that hired, and the mean', async () => {
    const { year, departments } = departmentsHiringInLatestYear();
    await page.getByRole('link', { name: 'Metrics' }).click();
    await page.locator('#hiring-chart').waitFor();
    await expect(page.getByRole('spinbutton', { name: 'Year' }).inputValue()).resolves.toBe(String(year));
    await expect(page.locator('#hiring-chart g.bar').count()).resolves.toBe(departments);
    await expect(page.locator('#above-mean-chart .marker line').count()).resolves.toBe(1);
    // The line is at the service's own mean, not one the page worked out.
    const answer = await fetch(`${app.baseUrl}/metrics/departments_above_mean?year=${year}`, { headers: bearer(TEST_KEYS.read) });
    await expect(page.locator('#above-mean-chart .marker text').textContent()).resolves.toBe(`mean ${Number(answer.headers.get('x-metrics-mean')).toFixed(2)}`);
    await shot('07-metrics');
    await shotNarrow('07-metrics');
    await expectAccessible();
  });

  it('with a read-only key, disables uploads and says why', async () => {
    await switchKey(TEST_KEYS.read);
    await page.getByRole('link', { name: 'Upload' }).click();
    await expect(page.getByRole('button', { name: 'Upload', exact: true }).isDisabled()).resolves.toBe(true);
    await expect(page.locator('#upload-refusal').textContent()).resolves.toMatch(/role write, and the key "dashboard" has the role read/);
    await shot('09-read-only-key');
    await expectAccessible();
  });

  it('shows the upload\'s progress in bytes and percent, and cancels it', async () => {
    await switchKey(TEST_KEYS.write);
    // A few MB sent at 256 KiB/s (Chromium's network throttling): slow enough to watch and to cancel.
    const big = join(tmpdir(), `admin-ui-big-${process.pid}.csv`);
    writeFileSync(big, Array.from({ length: 60_000 }, (_, i) => `${100_000 + i},Person ${i},2021-06-01T10:00:00Z,1,1`).join('\n'));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    try {
      await page.getByLabel('CSV file').setInputFiles(big);
      await page.getByLabel('Table', { exact: true }).selectOption('employees');
      await page.getByRole('button', { name: 'Upload', exact: true }).and(page.locator(':enabled')).waitFor();
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

  describe('with the keyboard alone', () => {
    /** Whether the element has keyboard focus and shows it: an outline or a shadow, not the browser's nothing. */
    async function focusShown(target: Locator): Promise<{ focused: boolean; indicator: string }> {
      return target.evaluate((element) => {
        const style = element.ownerDocument.defaultView.getComputedStyle(element);
        const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 ? `outline ${style.outlineWidth} ${style.outlineStyle}` : '';
        return { focused: element.matches(':focus'), indicator: outline || (style.boxShadow !== 'none' ? `box-shadow ${style.boxShadow}` : 'none') };
      });
    }
    /** Tab (or Shift+Tab) until the target has focus, as a person would; it must show that it has. */
    async function tabTo(target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
      for (let presses = 0; presses < 40; presses++) {
        await page.keyboard.press(key);
        const { focused, indicator } = await focusShown(target);
        if (focused) {
          expect({ target: target.toString(), indicator }).not.toEqual({ target: target.toString(), indicator: 'none' });
          return;
        }
      }
      throw new Error(`40 presses of ${key} never reached ${target.toString()}`);
    }

    /**
     * Space on the focused file input opens the chooser. Once in three CI runs the press came before
     * Chromium would open it and no chooser came, so a press that opens none within a few seconds is
     * made again, still by keyboard.
     */
    async function openFileChooserByKeyboard(): Promise<FileChooser> {
      for (let attempt = 1; ; attempt++) {
        const opened = page.waitForEvent('filechooser', { timeout: 4000 });
        await page.keyboard.press('Space');
        try {
          return await opened;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    }

    it('enters a key, uploads a file and opens it in the history, without a mouse', async () => {
      const file = join(tmpdir(), 'keyboard-departments.csv');
      writeFileSync(file, '101,Accessibility\n102,Keyboard support\n');
      try {
        await page.goto(`${app.baseUrl}/admin/history`);
        await page.getByRole('heading', { name: 'History' }).waitFor();
        // Back from the page's heading (focused when it opens) to the skip link, shown when focused: it leads past the header.
        const skip = page.getByRole('link', { name: 'Skip to content' });
        await tabTo(skip, 'Shift+Tab');
        await expect(skip.isVisible()).resolves.toBe(true);
        await page.keyboard.press('Enter');
        await page.keyboard.press('Tab');
        await expect(page.locator('main :focus').count()).resolves.toBe(1);
        await tabTo(page.getByRole('button', { name: 'Forget key' }), 'Shift+Tab');
        await page.keyboard.press('Enter');

        await page.getByRole('heading', { name: 'API key needed' }).waitFor();
        await tabTo(page.getByLabel('API key', { exact: true }));
        await page.keyboard.type(TEST_KEYS.write.key);
        await tabTo(page.getByRole('button', { name: 'Use this key' }));
        await page.keyboard.press('Space');
        await page.getByRole('heading', { name: 'History' }).waitFor();

        // Back up from the page to the navigation, and on to Upload.
        await tabTo(page.getByRole('link', { name: 'Upload', exact: true }), 'Shift+Tab');
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: 'Upload a CSV file' }).waitFor();
        await tabTo(page.getByLabel('CSV file'));
        await (await openFileChooserByKeyboard()).setFiles(file);
        // The table chosen outright with the arrow keys, whatever the form guesses from the file.
        const table = page.getByLabel('Table', { exact: true });
        await tabTo(table);
        for (let presses = 0; presses < 5 && (await table.inputValue()) !== 'departments'; presses++) await page.keyboard.press('ArrowDown');
        await expect(table.inputValue()).resolves.toBe('departments');
        await tabTo(page.getByRole('button', { name: 'Upload', exact: true }));
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: /from keyboard-departments\.csv/ }).waitFor();
        await expect(count('inserted')).resolves.toBe('2');

        await tabTo(page.getByRole('link', { name: 'History', exact: true }), 'Shift+Tab');
        await page.keyboard.press('Enter');
        const newest = page.getByTestId('history-table').locator('tbody tr').first();
        await newest.getByText('keyboard-departments.csv').waitFor();
        await tabTo(newest.getByRole('link'));
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: /^Ingestion #\d+$/ }).waitFor();
        await page.getByRole('heading', { name: /from keyboard-departments\.csv/ }).waitFor();
        await shot('11-keyboard-history-detail');
      } finally {
        rmSync(file, { force: true });
      }
    });
  });
});

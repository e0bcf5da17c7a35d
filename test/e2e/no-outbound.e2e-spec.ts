import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { HttpResult, get, postJson, upload } from '../harness/http';
import { expectProblem, expectReport, ingestCsv, postBatch, postFieldsOnly, snapshot, tableRows, uploadCsv } from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

/**
 * The seed this service replaces let a form field make the server fetch any
 * URL or read any local file. Here nothing a request names is ever fetched or
 * opened: a URL or a path in a field, a query parameter, a file name, a CSV
 * cell, a JSON value or a header is data (stored as sent) or refused (400).
 *
 * A local HTTP server stands in for every URL (cloud metadata, an internal
 * service): it must receive no request at all. A canary file stands in for
 * every local path: its rows must never appear. A folder outside the
 * service's own must stay empty, whatever file names point into it.
 */
describe('no URL fetched, no server path opened, from anything a request names', () => {
  const outside = mkdtempSync(join(tmpdir(), 'dbm-outside-'));
  const backupDir = mkdtempSync(join(tmpdir(), 'dbm-no-outbound-backups-'));
  const app = useTestApp((config) => ({ ...config, backups: { dir: backupDir } }));

  const canaryFile = join(outside, 'canary.csv');
  const hits: string[] = [];
  let listener: Server;
  let listenerUrl = '';

  /** Every way a request could name something to fetch or open. */
  const targets = (): string[] => [
    `${listenerUrl}/departments.csv`,
    `http://169.254.169.254/latest/meta-data/iam/security-credentials/`,
    `ftp://127.0.0.1:${new URL(listenerUrl).port}/x.csv`,
    '/etc/passwd',
    'file:///etc/passwd',
    `file://${canaryFile}`,
    canaryFile,
    '../../etc/passwd',
    relative(backupDir, join(outside, 'written.avro')),
    '..\\..\\windows\\win.ini',
    '\\\\127.0.0.1\\share\\x.csv',
  ];

  beforeAll(async () => {
    // Rows that would load if the file were ever read: the checks below look for them.
    writeFileSync(canaryFile, '1,Canary Secret\n2,Canary Secret 2\n');
    listener = createServer((request, response) => {
      hits.push(`${request.method} ${request.url}`);
      response.end('1,Fetched From URL\n');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    expect(hits).toEqual([]);
    expect(readdirSync(outside)).toEqual(['canary.csv']);
    // Nothing read from a file or a URL became a row.
    const names = [...(await tableRows(app, 'departments')).map((d) => d.name), ...(await tableRows(app, 'jobs')).map((j) => j.title)];
    expect(names.filter((name) => /Canary Secret|Fetched From URL|root:/.test(name))).toEqual([]);
    // Backups only ever under names the service makes.
    expect(readdirSync(backupDir).filter((name) => !/^backup-\d+-[0-9a-f]{16}-(departments|jobs|employees)\.avro$/.test(name))).toEqual([]);
  });

  afterAll(async () => {
    await new Promise((resolve) => listener.close(resolve));
    rmSync(outside, { recursive: true, force: true });
    rmSync(backupDir, { recursive: true, force: true });
  });

  it('the harness would see a request: the listener answers one sent to it', async () => {
    const res = await fetch(`${listenerUrl}/probe`);
    expect(await res.text()).toBe('1,Fetched From URL\n');
    expect(hits.splice(0)).toEqual(['GET /probe']);
  });

  describe('CSV uploads', () => {
    it('refuses a URL or path sent in the field "file" instead of a file part (400 missing_file)', async () => {
      for (const target of targets()) {
        expectProblem(await postFieldsOnly(app.baseUrl, '/departments/upload', { file: target }), 400, '/problems/missing_file');
        expectProblem(await postFieldsOnly(app.baseUrl, '/ingest/csv', { table: 'departments', file: target }), 400, '/problems/missing_file');
      }
      expect(await snapshot(app)).toEqual({ departments: [], jobs: [], employees: [] });
    });

    it.each(['url', 'source', 'src', 'path', 'file_path', 'uri', 'href', 'location', 'callback', 'webhook', 'remote', 'from'])(
      'refuses a "%s" field or query parameter naming a URL or path (400 invalid_request)',
      async (name) => {
        for (const target of targets()) {
          const asField = await uploadCsv(app, 'departments', '1,Sales\n', { fields: { [name]: target } });
          expectProblem(asField, 400, '/problems/invalid_request');
          const asQuery = await ingestCsv(app, '1,Sales\n', { query: { table: 'departments', [name]: target } });
          expectProblem(asQuery, 400, '/problems/invalid_request');
        }
        expect(await snapshot(app)).toEqual({ departments: [], jobs: [], employees: [] });
      },
    );

    it('refuses a URL or path as the table of /ingest/csv', async () => {
      for (const target of targets()) {
        expectProblem(await ingestCsv(app, '1,Sales\n', { fields: { table: target } }), 400, '/problems/invalid_request');
      }
    });

    it.each([false, true])('keeps a file name naming a URL or path as a label only, loading the bytes sent (async: %s)', async (async) => {
      for (const target of targets()) {
        const res = await uploadCsv(app, 'departments', '1,Sales\n', { filename: target, query: { mode: 'upsert', async: String(async) } });
        expect(res.status).toBe(async ? 202 : 201);
        if (async) await finished(res.body.id);
        // The multipart parser keeps the last segment of a path (none: the default name); either way it is only recorded.
        expect([target, basename(target), basename(target.replaceAll('\\', '/')), 'upload.csv']).toContain(res.body.source);
      }
      expect(await tableRows(app, 'departments')).toEqual([{ id: 1, name: 'Sales' }]);
    });

    it('loads cells holding URLs and paths as text, and refuses a file that is only a URL', async () => {
      const names = targets();
      const file = names.map((name, i) => `${i + 1},"${name.replaceAll('"', '""')}"`).join('\n');
      expectReport(await uploadCsv(app, 'departments', file), { inserted: names.length });
      expect(await tableRows(app, 'departments')).toEqual(names.map((name, i) => ({ id: i + 1, name })));

      for (const target of [`${listenerUrl}/departments.csv`, canaryFile, `file://${canaryFile}`]) {
        const res = await uploadCsv(app, 'jobs', `${target}\n`);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      expect(await tableRows(app, 'jobs')).toEqual([]);
    });
  });

  describe('JSON batches', () => {
    it('stores URLs and paths in rows as text', async () => {
      const rows = targets().map((title, i) => ({ id: i + 1, title }));
      expectReport(await postBatch(app, 'jobs', { rows }), { inserted: rows.length });
      expect(await tableRows(app, 'jobs')).toEqual(rows);
    });

    it('refuses an envelope field naming a source (400) and a row field that is not a column (422)', async () => {
      for (const target of targets()) {
        for (const name of ['url', 'source', 'file', 'path']) {
          expectProblem(await postBatch(app, 'jobs', { rows: [{ id: 1, title: 'A' }], [name]: target }), 400, '/problems/invalid_request');
        }
        const res = await postBatch(app, 'jobs', { rows: [{ id: 1, title: 'A', url: target }] });
        expect(res.status).toBe(422);
        expect(res.body.errors).toEqual([expect.objectContaining({ column: 'url', code: 'unknown_field' })]);
      }
      expect(await tableRows(app, 'jobs')).toEqual([]);
    });
  });

  describe('headers', () => {
    it('follows no URL in a header', async () => {
      const target = `${listenerUrl}/callback`;
      const headers = (key: string): Record<string, string> => ({
        referer: target,
        origin: listenerUrl,
        'x-forwarded-host': new URL(listenerUrl).host,
        'x-forwarded-proto': 'http',
        'x-callback-url': target,
        'content-location': target,
        link: `<${target}>; rel="source"`,
        'idempotency-key': `${target}?${key}`,
        'x-request-id': target,
      });
      expectReport(await uploadCsv(app, 'departments', '1,Sales\n', { headers: headers('upload') }), { inserted: 1 });
      expectReport(await postBatch(app, 'jobs', { rows: [{ id: 1, title: 'A' }] }, headers('batch')), { inserted: 1 });
      expect((await get(app.baseUrl, '/departments')).status).toBe(200);
    });
  });

  describe('backups', () => {
    it('refuses a URL or path as a table, a field or a restore source', async () => {
      for (const target of targets()) {
        const answers: HttpResult[] = [
          await postJson(app.baseUrl, '/backups', { tables: [target] }),
          await postJson(app.baseUrl, '/backups', { dir: target }),
          await postJson(app.baseUrl, '/backups', { url: target }),
          await postJson(app.baseUrl, '/backups/1/restore', { mode: 'merge', source: target }),
          await postJson(app.baseUrl, '/backups/1/restore', { mode: 'merge', tables: [target] }),
          await get(app.baseUrl, `/backups/1/files/${encodeURIComponent(target)}`),
          await get(app.baseUrl, `/backups/${encodeURIComponent(target)}`),
          await upload(app.baseUrl, '/backups/upload', 'x', { fields: { departments: target } }),
        ];
        expect(answers.map((res) => `${res.status} ${res.body?.type}`)).toEqual(answers.map((res) => `400 ${res.body?.type}`));
      }
    });

    it('stores an uploaded backup file under its own name, whatever the file name sent says', async () => {
      await postBatch(app, 'departments', { rows: [{ id: 1, name: 'Sales' }] });
      const backup = (await postJson(app.baseUrl, '/backups', { tables: ['departments'] })).body;
      const bytes = readFileSync(join(backupDir, backup.files[0].file_name));
      for (const target of targets()) {
        const form = new FormData();
        form.append('departments', new Blob([bytes]), target);
        const res = await fetch(`${app.baseUrl}/backups/upload`, { method: 'POST', body: form });
        expect(res.status).toBe(201);
        const uploaded = (await res.json()) as { id: number; files: { file_name: string }[] };
        expect(uploaded.files.map((f) => f.file_name)).toEqual([expect.stringMatching(new RegExp(`^backup-${uploaded.id}-[0-9a-f]{16}-departments\\.avro$`))]);
      }
      // And a file that is not AVRO, under a name pointing outside, is refused without being kept anywhere.
      const form = new FormData();
      form.append('departments', new Blob([readFileSync(canaryFile)]), relative(backupDir, join(outside, 'written.avro')));
      expect((await fetch(`${app.baseUrl}/backups/upload`, { method: 'POST', body: form })).status).toBe(422);
    });
  });

  /** Waits for a background ingestion to end. */
  async function finished(id: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const status = (await get(app.baseUrl, `/ingestions/${id}`)).body.status;
      if (!['queued', 'running'].includes(status)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`ingestion ${id} did not end`);
  }
});

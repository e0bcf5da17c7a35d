import { createHash } from 'node:crypto';
import { get } from '../harness/http';
import { csv, postBatch, uploadCsv } from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

describe('what an ingestion read: its SHA-256 and an earlier load of the same bytes', () => {
  const app = useTestApp();

  it('records the SHA-256 of the bytes as uploaded, BOM included', async () => {
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name\r\n1,Sales\r\n')]);
    const res = await uploadCsv(app, 'departments', file);
    expect(res.body).toMatchObject({ status: 'succeeded', sha256: sha256(file), duplicate_of: null });
    expect((await get(app.baseUrl, `/ingestions/${res.body.id}`)).body.sha256).toBe(sha256(file));
  });

  it('says which earlier ingestion loaded the same file into the same table', async () => {
    const file = csv('1,Sales', '2,Ops');
    const first = await uploadCsv(app, 'departments', file);
    const again = await uploadCsv(app, 'departments', file, { query: { mode: 'skip' } });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'succeeded', skipped: 2, duplicate_of: first.body.id });
    // Refused as an insert (the ids exist), it still says why the rows were there already.
    const refused = await uploadCsv(app, 'departments', file);
    expect(refused.status).toBe(422);
    expect(refused.body.report.duplicate_of).toBe(again.body.id);
  });

  it('counts only real, successful loads of the same table', async () => {
    const file = csv('7,Legal');
    const dry = await uploadCsv(app, 'departments', file, { query: { dry_run: 'true' } });
    expect(dry.body.duplicate_of).toBeNull();
    const real = await uploadCsv(app, 'departments', file);
    expect(real.body.duplicate_of).toBeNull();
    // The same bytes as jobs: another table, not a duplicate.
    const asJobs = await uploadCsv(app, 'jobs', file);
    expect(asJobs.body).toMatchObject({ status: 'succeeded', duplicate_of: null });
    const dryAfter = await uploadCsv(app, 'departments', file, { query: { dry_run: 'true', mode: 'skip' } });
    expect(dryAfter.body.duplicate_of).toBe(real.body.id);
  });

  it('hashes a JSON batch by its rows', async () => {
    const rows = [{ id: 1, name: 'Sales' }];
    const first = await postBatch(app, 'departments', { rows });
    expect(first.body.sha256).toBe(sha256(JSON.stringify(rows)));
    const again = await postBatch(app, 'departments', { mode: 'upsert', rows });
    expect(again.body).toMatchObject({ status: 'succeeded', duplicate_of: first.body.id });
  });
});

describe('detected line endings', () => {
  const app = useTestApp();

  it.each([
    ['lf', '1,Sales\n2,Ops\n'],
    ['crlf', '1,Sales\r\n2,Ops\r\n'],
    ['cr', '1,Sales\r2,Ops\r'],
    ['mixed', '1,Sales\r\n2,Ops\n'],
    ['none', '1,Sales'],
  ])('reports %s', async (endings, file) => {
    const res = await uploadCsv(app, 'departments', file);
    expect(res.status).toBe(201);
    expect(res.body.detected.line_endings).toBe(endings);
  });
});

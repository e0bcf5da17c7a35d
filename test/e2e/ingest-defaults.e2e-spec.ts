import { get } from '../harness/http';
import { csv, seed, uploadCsv } from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

/** GET /ingest/defaults answers the settings this instance runs with, and they are what an upload without options gets. */
describe('GET /ingest/defaults', () => {
  const app = useTestApp((config) => ({
    ...config,
    ingest: { ...config.ingest, defaultMode: 'upsert', defaultOnError: 'skip', maxErrors: 7, maxRowsPerFile: 1234 },
  }));

  it('answers the configured defaults and limits', async () => {
    const res = await get(app.baseUrl, '/ingest/defaults');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      mode: 'upsert',
      on_error: 'skip',
      max_errors: 7,
      header: 'auto',
      delimiter: ',',
      max_upload_bytes: app.config.ingest.maxUploadBytes,
      max_rows_per_file: 1234,
      max_batch_rows: 1000,
      max_batch_bytes: app.config.ingest.maxBatchBytes,
    });
  });

  it('are what an upload that names no option gets', async () => {
    await seed(app, { departments: [{ id: 1, name: 'Old' }] });
    const res = await uploadCsv(app, 'departments', csv('1,New', 'x,Bad', '2,Ops'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mode: 'upsert', on_error: 'skip', updated: 1, inserted: 1, rejected: 1 });
  });
});

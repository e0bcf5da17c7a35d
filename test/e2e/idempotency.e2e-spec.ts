import { randomUUID } from 'node:crypto';
import { get } from '../harness/http';
import {
  BASE_REFERENCES,
  csv,
  expectProblem,
  expectReport,
  ingestCsv,
  ingestionRecords,
  postBatch,
  seed,
  snapshot,
  tableRows,
  uploadCsv,
} from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

/**
 * Idempotency-Key: a retried request gets the first one's answer (same status
 * and body) and loads nothing; the key with other content is a 409; racing
 * requests with one key load once; keys live in the database.
 */
describe('Idempotency-Key', () => {
  const app = useTestApp();
  const keyed = (key: string) => ({ 'idempotency-key': key });
  const DEPARTMENTS = csv('id,name', '1,Sales', '2,Research');

  it('replays a CSV upload\'s answer, same status and body, without loading again', async () => {
    const key = randomUUID();
    const first = await uploadCsv(app, 'departments', DEPARTMENTS, { headers: keyed(key) });
    expectReport(first, { inserted: 2 });
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const again = await uploadCsv(app, 'departments', DEPARTMENTS, { headers: keyed(key) });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await ingestionRecords(app)).toHaveLength(1);
    expect(await tableRows(app, 'departments')).toEqual([
      { id: 1, name: 'Sales' },
      { id: 2, name: 'Research' },
    ]);
  });

  it('answers 409 for the same key with another file, other options or on another endpoint, and loads nothing', async () => {
    const key = randomUUID();
    expectReport(await uploadCsv(app, 'departments', DEPARTMENTS, { headers: keyed(key) }), { inserted: 2 });
    const before = await snapshot(app);

    const otherFile = await uploadCsv(app, 'departments', csv('id,name', '3,Legal'), { headers: keyed(key) });
    expectProblem(otherFile, 409, '/problems/idempotency_key_reused');
    const otherMode = await uploadCsv(app, 'departments', DEPARTMENTS, { headers: keyed(key), query: { mode: 'upsert' } });
    expectProblem(otherMode, 409, '/problems/idempotency_key_reused');
    const otherEndpoint = await ingestCsv(app, DEPARTMENTS, { headers: keyed(key), fields: { table: 'departments' } });
    expectProblem(otherEndpoint, 409, '/problems/idempotency_key_reused');
    const otherTable = await uploadCsv(app, 'jobs', csv('id,job', '1,Engineer'), { headers: keyed(key) });
    expectProblem(otherTable, 409, '/problems/idempotency_key_reused');

    expect(await snapshot(app)).toEqual(before);
    expect(await ingestionRecords(app)).toHaveLength(1);
  });

  it('replays a JSON batch, and 409s the key with other rows', async () => {
    const key = randomUUID();
    const batch = { rows: [{ id: 7, title: 'Engineer' }] };
    const first = await postBatch(app, 'jobs', batch, keyed(key));
    expectReport(first, { inserted: 1 });
    const again = await postBatch(app, 'jobs', batch, keyed(key));
    expect({ status: again.status, body: again.body }).toEqual({ status: 201, body: first.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    expectProblem(await postBatch(app, 'jobs', { rows: [{ id: 8, title: 'Nurse' }] }, keyed(key)), 409, '/problems/idempotency_key_reused');
    expectProblem(await postBatch(app, 'jobs', { ...batch, mode: 'upsert' }, keyed(key)), 409, '/problems/idempotency_key_reused');
    expect(await tableRows(app, 'jobs')).toEqual([{ id: 7, title: 'Engineer' }]);
    expect(await ingestionRecords(app)).toHaveLength(1);
  });

  it('replays a rejected request\'s 422 as it was', async () => {
    await seed(app, BASE_REFERENCES);
    const key = randomUUID();
    const bad = { rows: [{ id: 1, name: 'Ada', datetime: 'not a date', department_id: 1, job_id: 1 }] };
    const first = await postBatch(app, 'employees', bad, keyed(key));
    expectProblem(first, 422, '/problems/rows_rejected');
    const again = await postBatch(app, 'employees', bad, keyed(key));
    expectProblem(again, 422, '/problems/rows_rejected');
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await ingestionRecords(app)).toHaveLength(1);
  });

  it('loads once when two requests with one key race, and both get the same answer', async () => {
    await seed(app, BASE_REFERENCES);
    const key = randomUUID();
    const lines = Array.from({ length: 3000 }, (_, i) => `${i + 1},Person ${i + 1},2021-01-05T00:00:00Z,1,1`);
    const file = csv('id,name,datetime,department_id,job_id', ...lines);
    const [a, b] = await Promise.all([
      uploadCsv(app, 'employees', file, { headers: keyed(key) }),
      uploadCsv(app, 'employees', file, { headers: keyed(key) }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toEqual(b.body);
    expect([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')].sort()).toEqual(['true', null].sort());
    expect(await ingestionRecords(app)).toHaveLength(1);
    expect(await tableRows(app, 'employees')).toHaveLength(3000);
  });

  it('replays an async upload\'s 202 with the same queued ingestion', async () => {
    const key = randomUUID();
    const first = await uploadCsv(app, 'departments', DEPARTMENTS, { headers: keyed(key), query: { async: 'true' } });
    expect(first.status).toBe(202);
    const again = await uploadCsv(app, 'departments', DEPARTMENTS, { headers: keyed(key), query: { async: 'true' } });
    expect({ status: again.status, body: again.body }).toEqual({ status: 202, body: first.body });
    await waitFor(async () => (await get(app.baseUrl, `/ingestions/${first.body.id}`)).body.status === 'succeeded');
    expect(await ingestionRecords(app)).toHaveLength(1);
  });

  it('forgets a key once its retention has passed: the same request loads again', async () => {
    const key = randomUUID();
    expectReport(await uploadCsv(app, 'departments', DEPARTMENTS, { headers: keyed(key), query: { mode: 'upsert' } }), { inserted: 2 });
    await app.dataSource.query(`UPDATE idempotency_keys SET expires_at = '2000-01-01T00:00:00.000Z'`);
    const again = await uploadCsv(app, 'departments', DEPARTMENTS, { headers: keyed(key), query: { mode: 'upsert' } });
    expectReport(again, { inserted: 0, unchanged: 2 });
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(await ingestionRecords(app)).toHaveLength(2);
  });

  it('takes over a key whose holder died: loads when nothing was committed, answers with the committed load otherwise', async () => {
    const long_ago = '2000-01-01T00:00:00.000Z';
    const insertHeld = (key: string, ingestionId: number | null) =>
      app.dataSource.query(
        'INSERT INTO idempotency_keys (key, route, status, claim, instance_id, ingestion_id, created_at, heartbeat_at) ' +
          `VALUES ('${key}', 'POST /departments/upload', 'in_progress', 'dead', 'gone-instance', ${ingestionId ?? 'NULL'}, '${long_ago}', '${long_ago}')`,
      );

    const orphan = randomUUID();
    await insertHeld(orphan, null);
    expectReport(await uploadCsv(app, 'departments', DEPARTMENTS, { headers: keyed(orphan) }), { inserted: 2 });

    const committed = await uploadCsv(app, 'jobs', csv('id,job', '1,Engineer'));
    expectReport(committed, { inserted: 1 });
    const recovered = randomUUID();
    await insertHeld(recovered, committed.body.id);
    const answer = await uploadCsv(app, 'departments', csv('id,name', '3,Legal'), { headers: keyed(recovered) });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ id: committed.body.id, inserted: 1 });
    expect(await tableRows(app, 'departments')).toHaveLength(2);
  });

  it('links the key to the ingestion in the transaction that commits it', async () => {
    const key = randomUUID();
    const first = await uploadCsv(app, 'departments', DEPARTMENTS, { headers: keyed(key) });
    const [row] = await app.dataSource.query(`SELECT status, ingestion_id FROM idempotency_keys WHERE ${app.kind === 'postgres' ? '"key"' : 'key'} = '${key}'`);
    expect({ status: row.status, ingestion_id: Number(row.ingestion_id) }).toEqual({ status: 'completed', ingestion_id: first.body.id });
  });

  it.each(['', 'has space', 'x'.repeat(256), 'ünïcode'])('answers 400 for the malformed key %j and loads nothing', async (key) => {
    const res = await uploadCsv(app, 'departments', DEPARTMENTS, { headers: keyed(key) });
    expectProblem(res, 400, '/problems/invalid_idempotency_key');
    expect(await ingestionRecords(app)).toHaveLength(0);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import { get, postJson, upload } from '../harness/http';
import { startStreamingUpload } from '../harness/streaming-upload';
import { useTestApp } from '../harness/test-app';
import { testDbKind } from '../harness/test-database';

/**
 * Loads that run at once on PostgreSQL (SQLite runs one at a time). An
 * employee load holds foreign-key locks on the departments and jobs it
 * references until it commits; an upsert of those rows with unchanged values
 * must not wait for it (waiting is how two such loads deadlocked).
 */
const onPostgres = testDbKind() === 'postgres' ? describe : describe.skip;

onPostgres('an upsert of unchanged references during an employee load', () => {
  const app = useTestApp();

  it('answers at once, while the employee load still holds its locks', async () => {
    for (const [table, file] of [
      ['departments', '1,Sales\n2,Engineering\n'],
      ['jobs', '1,Manager\n'],
    ]) {
      expect((await upload(app.baseUrl, `/${table}/upload`, file)).status).toBe(201);
    }
    const employees = startStreamingUpload(app.baseUrl, '/employees/upload', 'employees.csv');
    const block = (from: number): string =>
      Array.from({ length: 2000 }, (_, k) => `${from + k},Employee ${from + k},2021-03-15,${((from + k) % 2) + 1},1\n`).join('');
    // High ids first, then low ones: the low block needs a lookup, which closes the first COPY, which runs
    // its foreign-key checks: from then on the load holds key-share locks on departments 1 and 2.
    await employees.write(block(1_000_001));
    await employees.write(block(1));
    // Progress is written with the heartbeat (every second): wait until it shows the low block handed over.
    let written = 0;
    for (let i = 0; i < 100 && written <= 2000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      written = (await get(app.baseUrl, '/ingestions?table=employees&status=running')).body.items?.[0]?.progress.rows_written ?? 0;
    }
    expect(written).toBeGreaterThan(2000);

    const upsert = postJson(app.baseUrl, '/departments/batch', {
      mode: 'upsert',
      rows: [
        { id: 1, name: 'Sales' },
        { id: 2, name: 'Engineering' },
        { id: 3, name: 'Legal' },
      ],
    });
    const answer = await Promise.race([upsert, new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 5000))]);
    employees.end();
    expect(answer).not.toBe('waiting');
    expect(answer).toMatchObject({ status: 201, body: { status: 'succeeded', inserted: 1, updated: 0, unchanged: 2 } });
    const loaded = await employees.response;
    expect(loaded).toMatchObject({ status: 201, body: { status: 'succeeded', inserted: 4000 } });
  });
});

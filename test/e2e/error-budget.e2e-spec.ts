import { BASE_REFERENCES, csv, expectProblem, ingestionRecords, seed, snapshot, uploadCsv } from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

/** max_errors: past that many rejected rows the ingestion stops, rolls back, and says why. */
function employees(good: number, bad: number): string {
  const lines: string[] = [];
  for (let id = 1; id <= good + bad; id++) {
    // Every third row is bad until `bad` of them are out: an unknown department.
    const isBad = id % 3 === 0 && lines.filter((l) => l.endsWith(',99,1')).length < bad;
    lines.push(`${id},Employee ${id},2021-03-15,${isBad ? 99 : 1},1`);
  }
  return csv(...lines);
}

describe('the error budget (max_errors)', () => {
  const app = useTestApp((c) => ({ ...c, ingest: { ...c.ingest, chunkRows: 5 } }));

  it('loads the good rows while the rejects stay within the budget', async () => {
    await seed(app, BASE_REFERENCES);
    const res = await uploadCsv(app, 'employees', employees(20, 3), { query: { on_error: 'skip', max_errors: '3' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'succeeded_with_rejects', rejected: 3, inserted: 20 });
  });

  it('past the budget stops, writes nothing, answers 422 with the first N errors, and records why', async () => {
    await seed(app, BASE_REFERENCES);
    const res = await uploadCsv(app, 'employees', employees(40, 10), { query: { on_error: 'skip', max_errors: '2' } });

    expectProblem(res, 422, '/problems/error_budget_exceeded');
    expect(res.body.detail).toMatch(/more than 2 rows were rejected \(max_errors=2\).*line 9/);
    expect(res.body.line).toBe(9);
    expect(res.body.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
      [3, 'unknown_department'],
      [6, 'unknown_department'],
    ]);
    expect(res.body.report).toMatchObject({ status: 'failed', inserted: 0, rejected: 3 });
    // It stopped reading: the rows after the third reject were never read.
    expect(res.body.report.rows_read).toBeLessThan(50);
    expect((await snapshot(app)).employees).toEqual([]);
    const [record] = await ingestionRecords(app);
    expect(record).toMatchObject({ status: 'failed', inserted: 0 });
    expect(record.detail).toMatch(/max_errors=2/);
  });

  it('max_errors=0 stops at the first reject', async () => {
    await seed(app, BASE_REFERENCES);
    const res = await uploadCsv(app, 'employees', employees(5, 1), { fields: { on_error: 'skip', max_errors: '0' } });
    expectProblem(res, 422, '/problems/error_budget_exceeded');
    expect(res.body.errors).toEqual([]);
    expect(res.body.line).toBe(3);
  });

  it('has no budget when neither the request nor the settings name one', async () => {
    await seed(app, BASE_REFERENCES);
    const res = await uploadCsv(app, 'employees', employees(20, 6), { query: { on_error: 'skip' } });
    expect(res.body).toMatchObject({ status: 'succeeded_with_rejects', rejected: 6 });
  });

  it.each(['-1', '1.5', 'many', ''])('refuses max_errors=%j', async (value) => {
    expectProblem(await uploadCsv(app, 'departments', csv('1,Sales'), { query: { max_errors: value } }), 400, '/problems/invalid_request');
  });
});

describe('the error budget from settings', () => {
  const app = useTestApp((c) => ({ ...c, ingest: { ...c.ingest, maxErrors: 1 } }));

  it('applies ingest.max_errors when the request names none', async () => {
    await seed(app, BASE_REFERENCES);
    const res = await uploadCsv(app, 'employees', employees(10, 3), { query: { on_error: 'skip' } });
    expectProblem(res, 422, '/problems/error_budget_exceeded');
    const lifted = await uploadCsv(app, 'employees', employees(10, 3), { query: { on_error: 'skip', max_errors: '5' } });
    expect(lifted.body).toMatchObject({ status: 'succeeded_with_rejects', rejected: 3 });
  });
});

import { BENCH_DEPARTMENTS, BENCH_JOBS } from '../lib/generate';
import { postJson } from '../lib/http';
import { Figure } from '../lib/report';

const BATCH_ROWS = 1000;

/** JSON batches of 1000 new employees, sent `concurrency` at a time; rows per second. */
export async function benchBatches(label: string, baseUrl: string, firstId: number, batches: number, concurrency: number): Promise<Figure> {
  const make = (batch: number): unknown => ({
    mode: 'insert',
    rows: Array.from({ length: BATCH_ROWS }, (_, i) => {
      const id = firstId + batch * BATCH_ROWS + i;
      return { id, name: `Batch Person ${id}`, hire_date: '2022-05-05T10:00:00Z', department_id: 1 + (id % BENCH_DEPARTMENTS), job_id: 1 + (id % BENCH_JOBS) };
    }),
  });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches) await postJson(baseUrl, '/employees/batch', make(next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { figure: `${label}: JSON batches of ${BATCH_ROWS}, concurrency ${concurrency}`, ours: (batches * BATCH_ROWS) / seconds, baseline: null, unit: 'rows/s' };
}

import fc from 'fast-check';
import { batchPost, csvUpload, rawMultipart, BatchPost, CsvUpload, RawMultipart } from '../harness/fuzz-inputs';
import { HttpResult } from '../harness/http';
import { DataSnapshot, expectReportShape, seed, snapshot } from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';

/**
 * Property tests with fast-check: random and mutated CSV uploads, multipart
 * bodies and JSON batches. Whatever the input:
 * - an answer comes, and it is never a 5xx;
 * - the server keeps answering (GET /health/live, on the kept-alive connections the uploads used);
 * - an ingestion that was refused (any 4xx, on_error=abort's 422 included)
 *   or run dry leaves every table exactly as it was;
 * - its report and its rejects file can be read.
 *
 * FUZZ_RUNS sets the runs per property (default below, sized for CI);
 * FUZZ_SEED replays a run: fast-check prints the seed of a failure. The tables
 * carry over from run to run (an input may depend on what earlier ones
 * loaded), so a failure is replayed by its seed, the whole sequence.
 */
// The worker suite (TEST_PARSE_WORKER=always) repeats the SQLite one with every upload parsed on a thread that
// compiles TypeScript under jest (~0.5 s per upload): a smaller sample of the same properties there.
const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.TEST_PARSE_WORKER === 'always' ? 40 : 250));
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** A request of the fuzz takes milliseconds; one without an answer by then hangs. */
const ANSWER_WITHIN_MS = 20_000;

const REFERENCES: Partial<DataSnapshot> = {
  departments: [
    { id: 1, name: 'Sales' },
    { id: 2, name: 'Engineering' },
    { id: 3, name: 'Legal' },
  ],
  jobs: [
    { id: 1, title: 'Manager' },
    { id: 2, title: 'Developer' },
    { id: 3, title: 'Analyst' },
  ],
  employees: [
    { id: 1, name: 'Ada', hire_date: '2021-01-05T00:00:00.000Z', department_id: 1, job_id: 1 },
    { id: 2, name: 'Bob', hire_date: '2021-06-05T12:00:00.000Z', department_id: 2, job_id: 3 },
  ],
};

describe('fuzz: no input crashes the service, answers 5xx or half-writes an ingestion', () => {
  const app = useTestApp();
  /** Status codes seen per property: a fuzz that never reached a write, or never a refusal, proves little. */
  const seen = new Map<string, Map<number, number>>();

  beforeEach(async () => {
    await seed(app, REFERENCES);
  });

  afterAll(() => {
    const lines = [...seen].map(([name, counts]) => `${name}: ${[...counts].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    process.stdout.write(`fuzz (${app.kind}, ${RUNS} runs per property${SEED === undefined ? '' : `, seed ${SEED}`}):\n  ${lines.join('\n  ')}\n`);
  });

  function count(property: string, status: number): void {
    const counts = seen.get(property) ?? new Map<number, number>();
    counts.set(status, (counts.get(status) ?? 0) + 1);
    seen.set(property, counts);
  }

  async function send(input: CsvUpload): Promise<HttpResult> {
    const form = new FormData();
    const query = new URLSearchParams();
    if (input.endpoint === 'ingest') form.append('table', input.table);
    for (const [name, value] of Object.entries(input.options)) {
      if (input.optionsIn === 'fields') form.append(name, value);
      else query.set(name, value);
    }
    form.append('file', new Blob([input.file]), input.filename);
    const path = input.endpoint === 'ingest' ? '/ingest/csv' : `/${input.table}/upload`;
    return result(await fetch(`${app.baseUrl}${path}${query.size ? `?${query}` : ''}`, { method: 'POST', body: form, signal: answerInTime() }));
  }

  function answerInTime(): AbortSignal {
    return AbortSignal.timeout(ANSWER_WITHIN_MS);
  }

  async function result(response: Response): Promise<HttpResult> {
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json');
    return { status: response.status, headers: response.headers, text, body: json && text ? JSON.parse(text) : text };
  }

  /** The checks every answer must pass; `before` is the data before the request. */
  async function expectSafe(property: string, res: HttpResult, before: DataSnapshot, dryRun: boolean): Promise<void> {
    count(property, res.status);
    if (res.status >= 500) throw new Error(`${res.status}: ${res.text.slice(0, 2_000)}`);
    const live = await fetch(`${app.baseUrl}/health/live`, { signal: answerInTime() });
    expect(live.status).toBe(200);
    if (res.status >= 400 || dryRun) expect(await snapshot(app)).toEqual(before);
    if (res.status === 201) {
      expectReportShape(res.body);
      if (res.body.on_error === 'abort') expect(res.body.rejected).toBe(0);
    }
    const ingestion = res.body?.ingestion_id ?? res.body?.id;
    if (typeof ingestion === 'number') {
      for (const path of [`/ingestions/${ingestion}`, `/ingestions/${ingestion}/rejects`]) {
        const read = await fetch(`${app.baseUrl}${path}`, { signal: answerInTime() });
        await read.arrayBuffer();
        expect(read.status).toBe(200);
      }
    }
  }

  /**
   * The inputs got as far as loading rows, and as far as each kind of refusal: a generator that stopped
   * reaching them would pass while testing little. Only asserted over enough runs to be sure of it.
   */
  function expectReached(property: string, statuses: number[]): void {
    if (RUNS >= 200) expect([...(seen.get(property)?.keys() ?? [])]).toEqual(expect.arrayContaining(statuses));
  }

  const parameters = (): fc.Parameters<unknown> => ({ numRuns: RUNS, seed: SEED, endOnFailure: process.env.CI === 'true' });

  it('CSV uploads: random bytes, mutated valid files, random headers and columns, other encodings', async () => {
    await fc.assert(
      fc.asyncProperty(csvUpload, async (input) => {
        const before = await snapshot(app);
        const res = await send(input);
        await expectSafe('csv', res, before, res.body?.dry_run === true);
      }),
      parameters() as fc.Parameters<[CsvUpload]>,
    );
    expectReached('csv', [201, 400, 422]);
  }, 600_000);

  it('multipart bodies: a valid upload with its framing broken anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(rawMultipart, async (input: RawMultipart) => {
        const before = await snapshot(app);
        const res = await result(
          await fetch(`${app.baseUrl}/${input.table}/upload`, { method: 'POST', headers: { 'content-type': input.contentType }, body: input.body, signal: answerInTime() }),
        );
        await expectSafe('multipart', res, before, false);
      }),
      parameters() as fc.Parameters<[RawMultipart]>,
    );
    expectReached('multipart', [201, 400]);
  }, 600_000);

  it('JSON batches: mutated rows, wrong types, deep nesting, broken JSON', async () => {
    await fc.assert(
      fc.asyncProperty(batchPost, async (input: BatchPost) => {
        const before = await snapshot(app);
        const res = await result(
          await fetch(`${app.baseUrl}/${input.table}/batch`, { method: 'POST', headers: { 'content-type': input.contentType }, body: input.body, signal: answerInTime() }),
        );
        await expectSafe('batch', res, before, res.body?.dry_run === true);
      }),
      parameters() as fc.Parameters<[BatchPost]>,
    );
    expectReached('batch', [201, 400, 422]);
  }, 600_000);
});

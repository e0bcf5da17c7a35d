/**
 * The load scenarios, defined once for the k6 scripts (test/load/k6/) and for
 * the local autocannon runner (test/load/run-local.ts): endpoints, weights,
 * concurrency, thresholds, the exact requests sent and how an answer is
 * judged. Plain TypeScript with no imports, because k6 and Node must both load
 * it; randomness is passed in so either side can supply it.
 */

export const DEFAULT_BASE_URL = 'http://localhost:8000';

/** The sample's busiest hiring year, so both metrics have rows to compute. */
export const METRICS_YEAR = 2021;

/**
 * Hires written by the ingestion mix land in a year the read mix never asks
 * about, so repeated runs against one database do not grow what the metrics
 * read.
 */
export const GENERATED_HIRE_YEAR = 2019;

/** Rows per generated employees upload or batch; also the size of each request's id block. */
export const ROWS_PER_WRITE = 100;

export type TableName = 'departments' | 'jobs' | 'employees';

/** The sample files (legacy, headerless), relative to the repository root, in foreign-key order. */
export const SAMPLE_FILES: ReadonlyArray<{ table: TableName; path: string }> = [
  { table: 'departments', path: 'data/departments.csv' },
  { table: 'jobs', path: 'data/jobs.csv' },
  { table: 'employees', path: 'data/hired_employees.csv' },
];

/** What the scenarios read from the seeded database: ids to ask for, names to upsert unchanged, where fresh ids start. */
export interface SeedState {
  departments: Array<{ id: number; name: string }>;
  jobs: Array<{ id: number; title: string }>;
  employeeIds: number[];
  firstFreeEmployeeId: number;
}

/** What a 2xx answer must look like, beyond its status. */
export type AnswerShape = 'page' | 'row' | 'rows' | 'health' | 'ingestion';

/** One HTTP request, ready to send by either runtime. */
export interface PreparedRequest {
  endpoint: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: string | null;
  expect: { status: number; shape: AnswerShape; rows?: number; allInserted?: boolean };
}

/**
 * An endpoint and how to build one request to it. `firstFreeId` starts an id
 * block of ROWS_PER_WRITE ids that no other request of the run uses.
 */
export interface Endpoint {
  name: string;
  build(seed: SeedState, firstFreeId: number, random: () => number): PreparedRequest;
}

export interface Thresholds {
  /** Failed requests (transport errors, unexpected status or body) over all requests. */
  maxErrorRate: number;
  p95Ms: number;
}

export type ScenarioName = 'smoke' | 'read_mix' | 'ingest_mix';

export interface Scenario {
  name: ScenarioName;
  summary: string;
  /** cycle: every endpoint in turn (weights ignored); weighted: each request drawn by weight. */
  order: 'cycle' | 'weighted';
  /** k6 virtual users, autocannon connections: each has one request in flight. */
  concurrency: number;
  durationSeconds: number;
  mix: ReadonlyArray<{ endpoint: Endpoint; weight: number }>;
  thresholds: Thresholds;
}

// ---------------------------------------------------------------- endpoints

function get(name: string, shape: AnswerShape, path: (seed: SeedState, random: () => number) => string): Endpoint {
  return {
    name,
    build: (seed, _firstFreeId, random) => ({
      endpoint: name,
      method: 'GET',
      path: path(seed, random),
      headers: { accept: 'application/json' },
      body: null,
      expect: { status: 200, shape },
    }),
  };
}

function pickFrom<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

export const HEALTH = get('health', 'health', () => '/health');
export const LIVENESS = get('liveness', 'health', () => '/health/live');
export const LIST_DEPARTMENTS = get('list_departments', 'page', () => '/departments?limit=100');
export const LIST_JOBS = get('list_jobs', 'page', () => '/jobs?limit=100');
export const LIST_EMPLOYEES = get('list_employees', 'page', (seed, random) => {
  const offset = Math.floor(random() * seed.employeeIds.length);
  return `/employees?limit=50&offset=${offset}`;
});
export const FILTER_EMPLOYEES = get('filter_employees', 'page', (seed, random) => {
  const department = pickFrom(seed.departments, random).id;
  return `/employees?department_id=${department}&hired_from=${METRICS_YEAR}-01-01&hired_to=${METRICS_YEAR}-12-31&limit=100`;
});
export const GET_DEPARTMENT = get('get_department', 'row', (seed, random) => `/departments/${pickFrom(seed.departments, random).id}`);
export const GET_JOB = get('get_job', 'row', (seed, random) => `/jobs/${pickFrom(seed.jobs, random).id}`);
export const GET_EMPLOYEE = get('get_employee', 'row', (seed, random) => `/employees/${pickFrom(seed.employeeIds, random)}`);
export const HIRING_BY_QUARTER = get('hiring_by_quarter', 'rows', () => `/metrics/hiring_by_quarter?year=${METRICS_YEAR}`);
export const DEPARTMENTS_ABOVE_MEAN = get('departments_above_mean', 'rows', () => `/metrics/departments_above_mean?year=${METRICS_YEAR}`);

/** RFC 4180 quoting, only where a cell needs it. */
function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLines(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

const BOUNDARY = '----db-migration-api-load-test';

/** A multipart/form-data body with one file part, built by hand so k6 and Node send identical bytes. */
export function multipartFile(fileName: string, content: string): { headers: Record<string, string>; body: string } {
  const body =
    `--${BOUNDARY}\r\n` +
    `Content-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
    'Content-Type: text/csv\r\n\r\n' +
    content +
    `\r\n--${BOUNDARY}--\r\n`;
  return { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, accept: 'application/json' }, body };
}

function csvUpload(endpoint: string, table: TableName, query: string, csv: string, rows: number, allInserted: boolean): PreparedRequest {
  const { headers, body } = multipartFile(`${endpoint}.csv`, csv);
  return {
    endpoint,
    method: 'POST',
    path: `/${table}/upload?${query}`,
    headers,
    body,
    expect: { status: 201, shape: 'ingestion', rows, allInserted },
  };
}

function jsonBatch(endpoint: string, table: TableName, mode: 'insert' | 'upsert', rows: object[]): PreparedRequest {
  return {
    endpoint,
    method: 'POST',
    path: `/${table}/batch`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ mode, rows }),
    expect: { status: 201, shape: 'ingestion', rows: rows.length, allInserted: mode === 'insert' },
  };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Deterministic employees for ids firstId…firstId+count-1, spread over the seeded departments and jobs. */
export function generatedEmployees(seed: SeedState, firstId: number, count: number) {
  return Array.from({ length: count }, (_, index) => {
    const id = firstId + index;
    return {
      id,
      name: `Load Test ${id}`,
      hire_date: `${GENERATED_HIRE_YEAR}-${pad2((id % 12) + 1)}-${pad2((id % 28) + 1)}T09:30:00Z`,
      department_id: seed.departments[id % seed.departments.length].id,
      job_id: seed.jobs[id % seed.jobs.length].id,
    };
  });
}

export const UPLOAD_EMPLOYEES_CSV: Endpoint = {
  name: 'upload_employees_csv',
  build: (seed, firstFreeId) => {
    const employees = generatedEmployees(seed, firstFreeId, ROWS_PER_WRITE);
    const csv = csvLines([
      ['id', 'name', 'hire_date', 'department_id', 'job_id'],
      ...employees.map((e) => [e.id, e.name, e.hire_date, e.department_id, e.job_id]),
    ]);
    return csvUpload('upload_employees_csv', 'employees', 'mode=insert&on_error=abort&header=true', csv, employees.length, true);
  },
};

export const BATCH_EMPLOYEES_JSON: Endpoint = {
  name: 'batch_employees_json',
  build: (seed, firstFreeId) => jsonBatch('batch_employees_json', 'employees', 'insert', generatedEmployees(seed, firstFreeId, ROWS_PER_WRITE)),
};

/** Upserts rows with the values they already have: exercises the upsert path without changing the data. */
export const UPSERT_JOBS_CSV: Endpoint = {
  name: 'upsert_jobs_csv',
  build: (seed) => {
    const csv = csvLines(seed.jobs.map((job) => [job.id, job.title]));
    return csvUpload('upsert_jobs_csv', 'jobs', 'mode=upsert&on_error=abort&header=false', csv, seed.jobs.length, false);
  },
};

export const UPSERT_DEPARTMENTS_JSON: Endpoint = {
  name: 'upsert_departments_json',
  build: (seed) => jsonBatch('upsert_departments_json', 'departments', 'upsert', seed.departments),
};

// ---------------------------------------------------------------- scenarios

const READ_ENDPOINTS = [
  LIST_DEPARTMENTS,
  LIST_JOBS,
  LIST_EMPLOYEES,
  FILTER_EMPLOYEES,
  GET_DEPARTMENT,
  GET_JOB,
  GET_EMPLOYEE,
  HIRING_BY_QUARTER,
  DEPARTMENTS_ABOVE_MEAN,
];
const WRITE_ENDPOINTS = [UPLOAD_EMPLOYEES_CSV, BATCH_EMPLOYEES_JSON, UPSERT_JOBS_CSV, UPSERT_DEPARTMENTS_JSON];

/**
 * p95 ceilings are 5–10× what the local runner measured on a 2-core machine
 * with the load generator on the same host (see test/load/README.md), so a
 * breach means a regression or a slow deployment, not noise. Zero failed
 * requests is the bar everywhere.
 */
export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  smoke: {
    name: 'smoke',
    summary: 'every endpoint in turn, one at a time',
    order: 'cycle',
    concurrency: 1,
    durationSeconds: 10,
    mix: [HEALTH, LIVENESS, ...READ_ENDPOINTS, ...WRITE_ENDPOINTS].map((endpoint) => ({ endpoint, weight: 1 })),
    thresholds: { maxErrorRate: 0, p95Ms: 100 },
  },
  read_mix: {
    name: 'read_mix',
    summary: 'lists, filters, single rows and both metrics',
    order: 'weighted',
    concurrency: 10,
    durationSeconds: 10,
    mix: [
      { endpoint: LIST_DEPARTMENTS, weight: 1 },
      { endpoint: LIST_JOBS, weight: 1 },
      { endpoint: LIST_EMPLOYEES, weight: 2 },
      { endpoint: FILTER_EMPLOYEES, weight: 2 },
      { endpoint: GET_DEPARTMENT, weight: 1 },
      { endpoint: GET_JOB, weight: 1 },
      { endpoint: GET_EMPLOYEE, weight: 4 },
      { endpoint: HIRING_BY_QUARTER, weight: 2 },
      { endpoint: DEPARTMENTS_ABOVE_MEAN, weight: 2 },
    ],
    thresholds: { maxErrorRate: 0, p95Ms: 100 },
  },
  ingest_mix: {
    name: 'ingest_mix',
    summary: `CSV uploads and JSON batches of ${ROWS_PER_WRITE} new employees, upserts of unchanged departments and jobs`,
    order: 'weighted',
    concurrency: 4,
    durationSeconds: 10,
    mix: [
      { endpoint: UPLOAD_EMPLOYEES_CSV, weight: 4 },
      { endpoint: BATCH_EMPLOYEES_JSON, weight: 4 },
      { endpoint: UPSERT_JOBS_CSV, weight: 1 },
      { endpoint: UPSERT_DEPARTMENTS_JSON, weight: 1 },
    ],
    thresholds: { maxErrorRate: 0, p95Ms: 300 },
  },
};

export const SCENARIO_ORDER: readonly ScenarioName[] = ['smoke', 'read_mix', 'ingest_mix'];

// ---------------------------------------------------------------- running

/**
 * The endpoint for the `step`-th request of a scenario (0-based across all
 * its virtual users or connections).
 */
export function endpointForStep(scenario: Scenario, step: number, random: () => number): Endpoint {
  if (scenario.order === 'cycle') return scenario.mix[step % scenario.mix.length].endpoint;
  const total = scenario.mix.reduce((sum, entry) => sum + entry.weight, 0);
  let ticket = random() * total;
  for (const entry of scenario.mix) {
    ticket -= entry.weight;
    if (ticket < 0) return entry.endpoint;
  }
  return scenario.mix[scenario.mix.length - 1].endpoint;
}

/**
 * The `step`-th request of a scenario. Each step owns the id block starting
 * at firstFreeEmployeeId + step × ROWS_PER_WRITE, so inserts from concurrent
 * users never collide.
 */
export function requestForStep(scenario: Scenario, seed: SeedState, step: number, random: () => number): PreparedRequest {
  const firstFreeId = seed.firstFreeEmployeeId + step * ROWS_PER_WRITE;
  return endpointForStep(scenario, step, random).build(seed, firstFreeId, random);
}

/** Uploads of the sample files, in foreign-key order; mode=skip keeps rows that exist, so seeding twice is harmless. */
export function seedRequests(csvByTable: Readonly<Record<TableName, string>>): PreparedRequest[] {
  return SAMPLE_FILES.map(({ table }) => {
    const rows = csvByTable[table].split('\n').filter((line) => line.trim() !== '').length;
    return csvUpload(`seed_${table}`, table, 'mode=skip&on_error=abort&header=false', csvByTable[table], rows, false);
  });
}

/** The lists setup() reads to learn the seeded rows; employees' last page is asked for once their total is known. */
export const DISCOVERY_PATHS: Readonly<Record<TableName, string>> = {
  departments: '/departments?limit=1000',
  jobs: '/jobs?limit=1000',
  employees: '/employees?limit=1000',
};

export function lastEmployeePath(total: number): string {
  return `/employees?limit=1&offset=${Math.max(total - 1, 0)}`;
}

interface Page<T> {
  items: T[];
  total: number;
}

/** The seed state from the parsed discovery answers (pages are ordered by id, so the last page holds the highest id). */
export function seedStateFrom(pages: {
  departments: Page<{ id: number; name: string }>;
  jobs: Page<{ id: number; title: string }>;
  employees: Page<{ id: number }>;
  lastEmployee: Page<{ id: number }>;
}): SeedState {
  const { departments, jobs, employees, lastEmployee } = pages;
  if (!departments.items.length || !jobs.items.length || !employees.items.length) {
    throw new Error(
      `seeding left an empty table (departments ${departments.total}, jobs ${jobs.total}, employees ${employees.total})`,
    );
  }
  return {
    departments: departments.items.map(({ id, name }) => ({ id, name })),
    jobs: jobs.items.map(({ id, title }) => ({ id, title })),
    employeeIds: employees.items.map(({ id }) => id),
    firstFreeEmployeeId: lastEmployee.items[0].id + 1,
  };
}

// ---------------------------------------------------------------- judging

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shapeProblem(request: PreparedRequest, answer: unknown): string | undefined {
  const { shape, rows, allInserted } = request.expect;
  switch (shape) {
    case 'page':
      return isObject(answer) && Array.isArray(answer.items) && typeof answer.total === 'number' ? undefined : 'not a page';
    case 'row':
      return isObject(answer) && typeof answer.id === 'number' ? undefined : 'not a row';
    case 'rows':
      return Array.isArray(answer) && answer.length > 0 ? undefined : 'not a non-empty array';
    case 'health':
      return isObject(answer) && answer.status === 'ok' ? undefined : 'status is not ok';
    case 'ingestion': {
      if (!isObject(answer)) return 'not an ingestion report';
      // Every row accounted for: loaded, or already there (unchanged by an upsert, kept by skip).
      const written = Number(answer.inserted) + Number(answer.updated) + Number(answer.unchanged ?? 0) + Number(answer.skipped);
      if (answer.status !== 'succeeded' || answer.rows_read !== rows || written !== rows) {
        return `ingestion ${answer.status}: rows_read ${answer.rows_read}, written ${written}, expected ${rows}`;
      }
      return allInserted && answer.inserted !== rows ? `inserted ${answer.inserted} of ${rows}` : undefined;
    }
  }
}

/** Why an answer is wrong, or undefined when it is what the request expects. */
export function problemWith(request: PreparedRequest, status: number, body: string): string | undefined {
  if (status !== request.expect.status) return `status ${status} (expected ${request.expect.status}): ${body.slice(0, 200)}`;
  return shapeProblem(request, parseJson(body));
}

/**
 * What the three k6 scripts share: sending a prepared request, seeding in
 * setup(), and options built from the scenario's definition. The scenarios
 * themselves live in ../scenarios.ts, which the local runner uses too.
 */
import { check, fail } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import {
  DEFAULT_BASE_URL,
  DISCOVERY_PATHS,
  type PreparedRequest,
  SAMPLE_FILES,
  type Scenario,
  type SeedState,
  type TableName,
  lastEmployeePath,
  problemWith,
  requestForStep,
  seedRequests,
  seedStateFrom,
} from '../scenarios.ts';

const BASE_URL = (__ENV.BASE_URL || DEFAULT_BASE_URL).replace(/\/+$/, '');
// A write key (API_KEY=...): a service in production mode answers 401 without one.
const AUTH_HEADERS: Record<string, string> = __ENV.API_KEY ? { authorization: `Bearer ${__ENV.API_KEY}` } : {};

/** Problems printed per virtual user; the summary counts the rest. */
const MAX_PROBLEMS_PRINTED = 5;
let problemsPrinted = 0;

/**
 * The sample files, read in the init context (open() is not available
 * later). This module sits next to the scripts, so the path is the same
 * whether k6 resolves it from the script or from this module.
 */
const SAMPLE_CSV = Object.fromEntries(SAMPLE_FILES.map(({ table, path }) => [table, open(`../../../${path}`)])) as Record<
  TableName,
  string
>;

function send(request: PreparedRequest, tags: Record<string, string>): { status: number; body: string; problem?: string } {
  const response = http.request(request.method, `${BASE_URL}${request.path}`, request.body, { headers: { ...request.headers, ...AUTH_HEADERS }, tags });
  const body = typeof response.body === 'string' ? response.body : '';
  const problem = response.status === 0 ? `no answer: ${response.error}` : problemWith(request, response.status, body);
  return { status: response.status, body, problem };
}

function getJson<T>(path: string): T {
  const response = http.get(`${BASE_URL}${path}`, { headers: { accept: 'application/json', ...AUTH_HEADERS } });
  if (response.status !== 200) fail(`GET ${path} answered ${response.status}: ${String(response.body).slice(0, 300)}`);
  return JSON.parse(response.body as string) as T;
}

/** setup(): loads the sample (existing rows are kept) and learns which ids exist and where fresh ids start. */
export function seedAndDiscover(): SeedState {
  for (const request of seedRequests(SAMPLE_CSV)) {
    const { problem } = send(request, { endpoint: request.endpoint });
    if (problem) fail(`seeding ${request.path}: ${problem}`);
  }
  const employees = getJson<{ items: Array<{ id: number }>; total: number }>(DISCOVERY_PATHS.employees);
  return seedStateFrom({
    departments: getJson(DISCOVERY_PATHS.departments),
    jobs: getJson(DISCOVERY_PATHS.jobs),
    employees,
    lastEmployee: getJson(lastEmployeePath(employees.total)),
  });
}

/**
 * One iteration = one request, so the step number (unique across virtual
 * users, and across instances in a distributed run) picks the endpoint in a
 * cycle and owns its id block.
 */
export function runStep(scenario: Scenario, seed: SeedState): void {
  const request = requestForStep(scenario, seed, exec.scenario.iterationInTest, Math.random);
  const tags = { mix: scenario.name, endpoint: request.endpoint };
  const { problem } = send(request, tags);
  check(problem, { 'answered as expected': (p) => p === undefined }, tags);
  if (problem && problemsPrinted < MAX_PROBLEMS_PRINTED) {
    problemsPrinted += 1;
    console.warn(`${request.method} ${request.path}: ${problem}`);
  }
}

/**
 * Thresholds on the scenario's own requests only (tagged `mix`), so setup's
 * seeding does not count. `http_reqs` must be non-zero: a threshold over no
 * samples would pass.
 */
function thresholdsOf(scenario: Scenario): NonNullable<Options['thresholds']> {
  const only = `{mix:${scenario.name}}`;
  const { maxErrorRate, p95Ms } = scenario.thresholds;
  return {
    [`http_reqs${only}`]: ['count>0'],
    [`http_req_failed${only}`]: [`rate<=${maxErrorRate}`],
    [`checks${only}`]: [`rate>=${1 - maxErrorRate}`],
    [`http_req_duration${only}`]: [`p(95)<=${p95Ms}`],
  };
}

/** VUS and DURATION (k6 duration, e.g. 30s, 2m) override the scenario's concurrency and duration. */
export function optionsFor(scenario: Scenario): Options {
  return {
    scenarios: {
      [scenario.name]: {
        executor: 'constant-vus',
        vus: Number(__ENV.VUS || scenario.concurrency),
        duration: __ENV.DURATION || `${scenario.durationSeconds}s`,
      },
    },
    thresholds: thresholdsOf(scenario),
    summaryTrendStats: ['avg', 'p(50)', 'p(95)', 'p(99)', 'max'],
    setupTimeout: '120s',
  };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DISCOVERY_PATHS,
  SAMPLE_FILES,
  SeedState,
  TableName,
  lastEmployeePath,
  problemWith,
  seedRequests,
  seedStateFrom,
} from '../scenarios';

const REPO_ROOT = join(__dirname, '..', '..', '..');

function sampleCsv(): Record<TableName, string> {
  return Object.fromEntries(SAMPLE_FILES.map(({ table, path }) => [table, readFileSync(join(REPO_ROOT, path), 'utf8')])) as Record<
    TableName,
    string
  >;
}

async function getJson<T>(baseUrl: string, path: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}

/** The same seeding as the k6 scripts' setup(): the sample files through the upload endpoints, then what they left. */
export async function seedAndDiscover(baseUrl: string): Promise<SeedState> {
  for (const request of seedRequests(sampleCsv())) {
    const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
    const problem = problemWith(request, response.status, await response.text());
    if (problem) throw new Error(`seeding ${request.path}: ${problem}`);
  }
  const employees = await getJson<{ items: Array<{ id: number }>; total: number }>(baseUrl, DISCOVERY_PATHS.employees);
  return seedStateFrom({
    departments: await getJson(baseUrl, DISCOVERY_PATHS.departments),
    jobs: await getJson(baseUrl, DISCOVERY_PATHS.jobs),
    employees,
    lastEmployee: await getJson(baseUrl, lastEmployeePath(employees.total)),
  });
}

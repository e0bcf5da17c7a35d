import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseString } from '@fast-csv/parse';
import { TestApp } from './test-app';
import { HttpResult, postJson, upload } from './http';

/**
 * Helpers shared by the ingest e2e tests: building CSV bodies, uploading and
 * batching through real HTTP, and reading tables straight from the database
 * (bypassing the API) to check what was — or was not — written.
 */

export type DataTable = 'departments' | 'jobs' | 'employees';
export const DATA_TABLES: readonly DataTable[] = ['departments', 'jobs', 'employees'];

export interface DepartmentRow {
  id: number;
  name: string;
}
export interface JobRow {
  id: number;
  title: string;
}
export interface EmployeeRow {
  id: number;
  name: string;
  hire_date: string;
  department_id: number;
  job_id: number;
}
export interface DataSnapshot {
  departments: DepartmentRow[];
  jobs: JobRow[];
  employees: EmployeeRow[];
}

/** CSV text from lines, joined with LF and ending with one. */
export function csv(...lines: string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** A file from data/ (the sample exports shipped with the repository). */
export function dataFile(name: string): Buffer {
  return readFileSync(join(__dirname, '..', '..', 'data', name));
}

/** A file from test/fixtures/. */
export function fixture(name: string): Buffer {
  return readFileSync(join(__dirname, '..', 'fixtures', name));
}

export interface UploadOptions {
  /** Query parameters, e.g. { mode: 'upsert' }. */
  query?: Record<string, string>;
  /** Multipart fields sent before the file. */
  fields?: Record<string, string>;
  filename?: string;
  /** Request headers, e.g. { 'idempotency-key': '…' }. */
  headers?: Record<string, string>;
}

function withQuery(path: string, query?: Record<string, string>): string {
  if (!query || Object.keys(query).length === 0) return path;
  return `${path}?${new URLSearchParams(query).toString()}`;
}

/** POST /<table>/upload with the CSV as the multipart "file" part. */
export function uploadCsv(app: TestApp, table: DataTable, content: string | Buffer, options: UploadOptions = {}): Promise<HttpResult> {
  return upload(app.baseUrl, withQuery(`/${table}/upload`, options.query), content, options);
}

/** POST /ingest/csv (the table comes from options.fields or options.query). */
export function ingestCsv(app: TestApp, content: string | Buffer, options: UploadOptions = {}): Promise<HttpResult> {
  return upload(app.baseUrl, withQuery('/ingest/csv', options.query), content, options);
}

/** POST /<table>/batch with a JSON body. */
export function postBatch(app: TestApp, table: DataTable, body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  return postJson(app.baseUrl, `/${table}/batch`, body, headers);
}

/** A POST with an arbitrary body and content type (e.g. a raw text/csv body). */
export async function postRaw(baseUrl: string, path: string, body: string, contentType: string): Promise<HttpResult> {
  return toResult(await fetch(baseUrl + path, { method: 'POST', headers: { 'content-type': contentType }, body }));
}

/** A multipart POST with text fields only, no file part. */
export async function postFieldsOnly(baseUrl: string, path: string, fields: Record<string, string>): Promise<HttpResult> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return toResult(await fetch(baseUrl + path, { method: 'POST', body: form }));
}

async function toResult(response: Response): Promise<HttpResult> {
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body, text };
}

// ---------------------------------------------------------------------------
// Reading and seeding the database directly

function asIso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Rows of a data table, ordered by id, read with plain SQL (not through the API). */
export async function tableRows(app: TestApp, table: 'departments'): Promise<DepartmentRow[]>;
export async function tableRows(app: TestApp, table: 'jobs'): Promise<JobRow[]>;
export async function tableRows(app: TestApp, table: 'employees'): Promise<EmployeeRow[]>;
export async function tableRows(app: TestApp, table: DataTable): Promise<unknown[]> {
  const rows: Record<string, unknown>[] = await app.dataSource.query(`SELECT * FROM ${table} ORDER BY id`);
  switch (table) {
    case 'departments':
      return rows.map((r) => ({ id: Number(r.id), name: r.name as string }));
    case 'jobs':
      return rows.map((r) => ({ id: Number(r.id), title: r.title as string }));
    case 'employees':
      return rows.map((r) => ({
        id: Number(r.id),
        name: r.name as string,
        hire_date: asIso(r.hire_date),
        department_id: Number(r.department_id),
        job_id: Number(r.job_id),
      }));
  }
}

/** Every row of the three data tables. */
export async function snapshot(app: TestApp): Promise<DataSnapshot> {
  return {
    departments: await tableRows(app, 'departments'),
    jobs: await tableRows(app, 'jobs'),
    employees: await tableRows(app, 'employees'),
  };
}

export const EMPTY_SNAPSHOT: DataSnapshot = { departments: [], jobs: [], employees: [] };

export interface IngestionRecord {
  id: number;
  table_name: string;
  source: string;
  source_kind: string;
  mode: string;
  on_error: string;
  status: string;
  rows_read: number;
  inserted: number;
  updated: number;
  skipped: number;
  rejected: number;
  detail: string | null;
}

/** The ingestions table as stored, ordered by id. */
export async function ingestionRecords(app: TestApp): Promise<IngestionRecord[]> {
  const rows: Record<string, unknown>[] = await app.dataSource.query('SELECT * FROM ingestions ORDER BY id');
  return rows.map((r) => ({
    id: Number(r.id),
    table_name: r.table_name as string,
    source: r.source as string,
    source_kind: r.source_kind as string,
    mode: r.mode as string,
    on_error: r.on_error as string,
    status: r.status as string,
    rows_read: Number(r.rows_read),
    inserted: Number(r.inserted),
    updated: Number(r.updated),
    skipped: Number(r.skipped),
    rejected: Number(r.rejected),
    detail: (r.detail as string | null) ?? null,
  }));
}

/** Stored rejects of one ingestion, as (line, column, code), ordered by line then id. */
export async function rejectRecords(app: TestApp, ingestionId: number): Promise<{ line: number; column: string | null; code: string }[]> {
  const param = app.kind === 'postgres' ? '$1' : '?';
  const rows: Record<string, unknown>[] = await app.dataSource.query(
    `SELECT line, column_name, error_code FROM ingestion_rejects WHERE ingestion_id = ${param} ORDER BY line, id`,
    [ingestionId],
  );
  return rows.map((r) => ({ line: Number(r.line), column: (r.column_name as string | null) ?? null, code: r.error_code as string }));
}

function marks(app: TestApp, count: number, offset: number): string {
  return Array.from({ length: count }, (_, i) => (app.kind === 'postgres' ? `$${offset + i + 1}` : '?')).join(', ');
}

async function insertRows(app: TestApp, table: DataTable, columns: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const tuples = rows.map((_, r) => `(${marks(app, columns.length, r * columns.length)})`).join(', ');
  await app.dataSource.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples}`, rows.flat());
}

/**
 * Writes rows straight into the tables (no API, no ingestion record), parents
 * first. Employee hire dates must be full UTC instants with milliseconds, the
 * form the app stores (e.g. 2021-01-01T00:00:00.000Z).
 */
export async function seed(app: TestApp, data: Partial<DataSnapshot>): Promise<void> {
  await insertRows(app, 'departments', ['id', 'name'], (data.departments ?? []).map((d) => [d.id, d.name]));
  await insertRows(app, 'jobs', ['id', 'title'], (data.jobs ?? []).map((j) => [j.id, j.title]));
  await insertRows(
    app,
    'employees',
    ['id', 'name', 'hire_date', 'department_id', 'job_id'],
    (data.employees ?? []).map((e) => [e.id, e.name, e.hire_date, e.department_id, e.job_id]),
  );
}

/** Two departments and two jobs, enough for employees to reference. */
export const BASE_REFERENCES: Pick<DataSnapshot, 'departments' | 'jobs'> = {
  departments: [
    { id: 1, name: 'Sales' },
    { id: 2, name: 'Engineering' },
  ],
  jobs: [
    { id: 1, title: 'Manager' },
    { id: 2, title: 'Developer' },
  ],
};

// ---------------------------------------------------------------------------
// Assertions

/** An RFC 9457 problem response of this status and type. */
export function expectProblem(res: HttpResult, status: number, type: string): void {
  expect({ status: res.status, type: res.body?.type }).toEqual({ status, type });
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
}

/** A 201 ingestion report with every documented field, matching `expected`. */
export function expectReport(res: HttpResult, expected: Record<string, unknown>): void {
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${res.text}`);
  expect(res.headers.get('content-type')).toContain('application/json');
  expectReportShape(res.body);
  expect(res.body).toMatchObject(expected);
}

/** The fields of an ingestion report, and its counts adding up to rows_read. */
export function expectReportShape(report: any): void {
  expect(report).toEqual(
    expect.objectContaining({
      id: expect.any(Number),
      table: expect.any(String),
      source: expect.any(String),
      mode: expect.any(String),
      on_error: expect.any(String),
      status: expect.any(String),
      rows_read: expect.any(Number),
      inserted: expect.any(Number),
      updated: expect.any(Number),
      unchanged: expect.any(Number),
      skipped: expect.any(Number),
      duplicate_in_file: expect.any(Number),
      rejected: expect.any(Number),
      errors: expect.any(Array),
      errors_truncated: expect.any(Boolean),
      detected: expect.objectContaining({ format: expect.any(String) }),
    }),
  );
  if (report.status !== 'failed') {
    expect(report.inserted + report.updated + report.unchanged + report.skipped + report.duplicate_in_file + report.rejected).toBe(report.rows_read);
  }
}

/** A 422 rows_rejected problem whose report says failed. Returns the errors. */
export function expectRowsRejected(res: HttpResult): any[] {
  if (res.status !== 422) throw new Error(`expected 422, got ${res.status}: ${res.text}`);
  expectProblem(res, 422, '/problems/rows_rejected');
  expect(res.body.ingestion_id).toEqual(expect.any(Number));
  expectReportShape(res.body.report);
  expect(res.body.report).toMatchObject({ id: res.body.ingestion_id, status: 'failed', inserted: 0, updated: 0, skipped: 0 });
  expect(res.body.errors).toEqual(res.body.report.errors);
  expect(res.body.errors.length).toBeGreaterThan(0);
  return res.body.errors;
}

/** Errors reduced to where and what, for compact comparisons. */
export function errorCodes(errors: any[]): { at: number; column: string | null; code: string }[] {
  return errors.map((e) => ({ at: e.line ?? e.row, column: e.column, code: e.code }));
}

/** Parses CSV text (RFC 4180) into records of cells. */
export function parseCsv(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const records: string[][] = [];
    parseString(text, { headers: false })
      .on('error', reject)
      .on('data', (record: string[]) => records.push(record))
      .on('end', () => resolve(records));
  });
}

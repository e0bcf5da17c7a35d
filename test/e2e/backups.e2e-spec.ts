import { Type, streams } from 'avsc';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppConfig } from '../../src/config/app-config';
import { HttpResult, get, postJson } from '../harness/http';
import {
  BASE_REFERENCES,
  DATA_TABLES,
  DataSnapshot,
  DataTable,
  EMPTY_SNAPSHOT,
  dataFile,
  expectProblem,
  seed,
  snapshot,
  uploadCsv,
} from '../harness/ingest-helpers';
import { TestApp, startTestApp, useTestApp } from '../harness/test-app';
import { TestDatabase, createTestDatabase } from '../harness/test-database';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const SAMPLE_FILES: Record<DataTable, string> = { departments: 'departments.csv', jobs: 'jobs.csv', employees: 'hired_employees.csv' };

const backupDirs: string[] = [];
afterAll(() => {
  for (const dir of backupDirs) rmSync(dir, { recursive: true, force: true });
});

function newBackupDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dbm-backups-'));
  backupDirs.push(dir);
  return dir;
}

/** Each app keeps its backups in a temp folder of its own. */
function ownBackupDir(config: AppConfig): AppConfig {
  return { ...config, backups: { dir: newBackupDir() } };
}

/** And reads, checks and writes 7 rows at a time: the samples span many keyset pages and restore chunks. */
function smallChunks(config: AppConfig): AppConfig {
  return ownBackupDir({ ...config, ingest: { ...config.ingest, chunkRows: 7 } });
}

/** The employees schema written out, as another AVRO writer would have it. */
const EMPLOYEE_SCHEMA: Parameters<typeof Type.forSchema>[0] = {
  type: 'record',
  name: 'employees',
  namespace: 'db_migration_api',
  fields: [
    { name: 'id', type: 'int' },
    { name: 'name', type: 'string' },
    { name: 'hire_date', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'department_id', type: 'int' },
    { name: 'job_id', type: 'int' },
  ],
};

/** An AVRO container file of employee records, built with avsc (not with the service's code). */
async function employeesFile(records: object[]): Promise<Buffer> {
  const encoder = new streams.BlockEncoder(EMPLOYEE_SCHEMA, { codec: 'null' });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    encoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    encoder.on('end', resolve);
    encoder.on('error', reject);
  });
  for (const record of records) encoder.write(record);
  encoder.end();
  await done;
  return Buffer.concat(chunks);
}

function employee(id: number, changes: object = {}): object {
  return { id, name: `Person ${id}`, hire_date: Date.UTC(2021, 0, 1) + id * 60_000, department_id: 1, job_id: 1, ...changes };
}

async function loadSamples(app: TestApp): Promise<DataSnapshot> {
  for (const table of DATA_TABLES) {
    const res = await uploadCsv(app, table, dataFile(SAMPLE_FILES[table]), { filename: SAMPLE_FILES[table] });
    expect({ table, status: res.status }).toEqual({ table, status: 201 });
  }
  const loaded = await snapshot(app);
  expect([loaded.departments.length, loaded.jobs.length, loaded.employees.length]).toEqual([12, 12, 61]);
  return loaded;
}

async function takeBackup(app: TestApp, body: unknown = {}): Promise<any> {
  const res = await postJson(app.baseUrl, '/backups', body);
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${res.text}`);
  expect(res.headers.get('location')).toBe(`/backups/${res.body.id}`);
  return res.body;
}

function restore(app: TestApp, id: number, body: unknown, query = ''): Promise<HttpResult> {
  return postJson(app.baseUrl, `/backups/${id}/restore${query}`, body);
}

async function restored(app: TestApp, id: number, body: unknown): Promise<any> {
  const res = await restore(app, id, body);
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${res.text}`);
  for (const table of res.body.tables) {
    expect(table.inserted + table.updated + table.unchanged + table.duplicate_in_file).toBe(table.rows_read);
  }
  return res.body;
}

/** Empties the data tables straight in the database, children first. */
async function wipe(app: TestApp, tables: readonly DataTable[] = DATA_TABLES): Promise<void> {
  for (const table of [...tables].reverse()) await app.dataSource.query(`DELETE FROM ${table}`);
}

async function download(app: TestApp, path: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(app.baseUrl + path);
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Where a backup's file of `table` is, by the name its record lists. */
function fileOnDisk(app: TestApp, backup: any, table: DataTable): string {
  return join(app.config.backups.dir, backup.files.find((file: any) => file.table === table).file_name);
}

const FILE_NAME = /^backup-(\d+)-[0-9a-f]{16}-(departments|jobs|employees)\.avro$/;

/** POST /backups/upload: each file in the field named after its table. */
async function uploadBackup(app: TestApp, files: Partial<Record<string, Buffer>>): Promise<HttpResult> {
  const form = new FormData();
  for (const [field, bytes] of Object.entries(files)) form.append(field, new Blob([bytes as Buffer]), `${field}.avro`);
  const response = await fetch(`${app.baseUrl}/backups/upload`, { method: 'POST', body: form });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : text };
}

/** Decodes AVRO container bytes with avsc on their own, as any other reader would. */
async function decodeAvro(bytes: Buffer): Promise<{ schema: any; records: any[] }> {
  const decoder = new streams.BlockDecoder();
  let schema: unknown = null;
  decoder.on('metadata', (type: { schema(): unknown }) => {
    schema = type.schema();
  });
  const records: any[] = [];
  Readable.from([bytes]).pipe(decoder);
  for await (const record of decoder) records.push({ ...record });
  return { schema, records };
}

/** A restore refused with this status and problem type, and the data exactly as before it. */
async function expectRefused(app: TestApp, res: HttpResult, status: number, type: string, before: DataSnapshot): Promise<void> {
  expectProblem(res, status, type);
  expect(await snapshot(app)).toEqual(before);
}

describe('AVRO backup and restore', () => {
  const app = useTestApp(smallChunks);

  it('round trip: loads the samples, backs up, wipes, restores with mode=replace, every row identical', async () => {
    const loaded = await loadSamples(app);
    const backup = await takeBackup(app);
    expect(backup).toMatchObject({
      status: 'completed',
      origin: 'backup',
      database: app.kind,
      detail: null,
      files: [
        { table: 'departments', rows: 12, file_name: expect.stringMatching(FILE_NAME), download: `/backups/${backup.id}/files/departments` },
        { table: 'jobs', rows: 12 },
        { table: 'employees', rows: 61 },
      ],
    });
    expect(backup.finished_at).toEqual(expect.any(String));

    await wipe(app);
    expect(await snapshot(app)).toEqual(EMPTY_SNAPSHOT);
    const report = await restored(app, backup.id, { mode: 'replace' });
    expect(report).toMatchObject({
      backup_id: backup.id,
      mode: 'replace',
      tables: [
        { table: 'departments', rows_read: 12, deleted: 0, inserted: 12, updated: 0, unchanged: 0, duplicate_in_file: 0 },
        { table: 'jobs', rows_read: 12, deleted: 0, inserted: 12 },
        { table: 'employees', rows_read: 61, deleted: 0, inserted: 61 },
      ],
    });
    expect(await snapshot(app)).toEqual(loaded);

    // Over the same rows again: everything deleted first, then loaded the same.
    const again = await restored(app, backup.id, { mode: 'replace' });
    expect(again.tables.map((t: any) => [t.table, t.deleted, t.inserted])).toEqual([
      ['departments', 12, 12],
      ['jobs', 12, 12],
      ['employees', 61, 61],
    ]);
    expect(await snapshot(app)).toEqual(loaded);
  });

  it('merge: inserts missing rows, puts back changed ones, leaves the others and rows not in the backup', async () => {
    const loaded = await loadSamples(app);
    const backup = await takeBackup(app);
    await app.dataSource.query("UPDATE departments SET name = 'Renamed' WHERE id = 1");
    await app.dataSource.query('DELETE FROM employees WHERE id > 50');
    await seed(app, { departments: [{ id: 99, name: 'Not in the backup' }] });

    const report = await restored(app, backup.id, { mode: 'merge' });
    expect(report.tables).toEqual([
      { table: 'departments', rows_read: 12, deleted: 0, inserted: 0, updated: 1, unchanged: 11, duplicate_in_file: 0 },
      { table: 'jobs', rows_read: 12, deleted: 0, inserted: 0, updated: 0, unchanged: 12, duplicate_in_file: 0 },
      { table: 'employees', rows_read: 61, deleted: 0, inserted: 11, updated: 0, unchanged: 50, duplicate_in_file: 0 },
    ]);
    expect(await snapshot(app)).toEqual({ ...loaded, departments: [...loaded.departments, { id: 99, name: 'Not in the backup' }] });
  });

  it('takes mode from the query too, and restores only the tables named', async () => {
    const loaded = await loadSamples(app);
    const backup = await takeBackup(app);
    await wipe(app, ['employees']);
    const res = await restore(app, backup.id, { tables: ['employees'] }, '?mode=merge');
    expect(res.status).toBe(200);
    expect(res.body.tables).toEqual([expect.objectContaining({ table: 'employees', inserted: 61 })]);
    expect(await snapshot(app)).toEqual(loaded);
  });

  it('records each backup, lists them newest first, and serves files whose bytes match the recorded size and SHA-256', async () => {
    await loadSamples(app);
    const all = await takeBackup(app);
    const jobsOnly = await takeBackup(app, { tables: ['jobs'] });
    expect(jobsOnly.files.map((f: any) => f.table)).toEqual(['jobs']);

    const page = await get(app.baseUrl, '/backups?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.items.map((b: any) => b.id)).toEqual([jobsOnly.id, all.id]);
    expect(page.body).toMatchObject({ limit: 2, offset: 0, total: expect.any(Number) });
    expect((await get(app.baseUrl, `/backups/${all.id}`)).body).toEqual(all);

    for (const file of all.files) {
      const res = await download(app, file.download);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/avro');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="backup-${all.id}-${file.table}.avro"`);
      expect(res.bytes.length).toBe(file.bytes);
      expect(sha256(res.bytes)).toBe(file.sha256);
      // A plain AVRO container, readable by any AVRO reader: the schema is in the file.
      const { schema, records } = await decodeAvro(res.bytes);
      expect(schema).toMatchObject({ type: 'record', name: `db_migration_api.${file.table}` });
      expect(records).toHaveLength(file.rows);
    }
    const employees = await decodeAvro((await download(app, `/backups/${all.id}/files/employees`)).bytes);
    expect(employees.schema.fields.map((f: any) => [f.name, f.type])).toEqual([
      ['id', 'int'],
      ['name', 'string'],
      ['hire_date', 'long'],
      ['department_id', 'int'],
      ['job_id', 'int'],
    ]);
    // The logical type is kept in the header for readers that map it (avsc alone reads a long).
    const header = readFileSync(fileOnDisk(app, all, 'employees')).subarray(0, 1024).toString('latin1');
    expect(header).toContain('{"name":"hire_date","type":{"type":"long","logicalType":"timestamp-millis"}}');
    expect(employees.records[0]).toEqual({ id: 1, name: 'Liam Hazlewood', hire_date: Date.parse('2021-03-13T20:03:04Z'), department_id: 6, job_id: 10 });

    const missing = await get(app.baseUrl, `/backups/${jobsOnly.id}/files/employees`);
    expectProblem(missing, 404, '/problems/not_found');
  });

  it('backs up empty tables as valid files with no records, and restores them', async () => {
    const backup = await takeBackup(app);
    expect(backup.files.map((f: any) => f.rows)).toEqual([0, 0, 0]);
    await seed(app, { departments: [{ id: 1, name: 'Sales' }] });
    const report = await restored(app, backup.id, { mode: 'replace', tables: ['departments', 'jobs'] });
    expect(report.tables.map((t: any) => [t.table, t.deleted, t.inserted])).toEqual([
      ['departments', 1, 0],
      ['jobs', 0, 0],
    ]);
    expect(await snapshot(app)).toEqual(EMPTY_SNAPSHOT);
  });

  describe('a damaged backup is a 422 backup_corrupt, and nothing changes', () => {
    let backup: any;
    let before: DataSnapshot;

    beforeEach(async () => {
      await loadSamples(app);
      backup = await takeBackup(app);
      // A state that differs from the backup, so a partial restore would show.
      await app.dataSource.query('DELETE FROM employees WHERE id > 30');
      await app.dataSource.query("UPDATE jobs SET title = 'Changed' WHERE id = 2");
      before = await snapshot(app);
    });

    it.each(['replace', 'merge'])('a file cut short (mode %s)', async (mode) => {
      const path = fileOnDisk(app, backup, 'employees');
      truncateSync(path, Math.floor(statSync(path).size / 2));
      const res = await restore(app, backup.id, { mode });
      await expectRefused(app, res, 422, '/problems/backup_corrupt', before);
      expect(res.body).toMatchObject({ backup_id: backup.id, table: 'employees' });
      expect(res.body.detail).toContain('bytes');
    });

    it('bytes flipped in the middle of a file (same size, another SHA-256)', async () => {
      const path = fileOnDisk(app, backup, 'employees');
      const bytes = readFileSync(path);
      for (let i = 0; i < 8; i++) bytes[Math.floor(bytes.length / 2) + i] ^= 0xff;
      writeFileSync(path, bytes);
      const res = await restore(app, backup.id, { mode: 'replace' });
      await expectRefused(app, res, 422, '/problems/backup_corrupt', before);
      expect(res.body.detail).toContain('SHA-256');
    });

    it('a file gone from the folder', async () => {
      rmSync(fileOnDisk(app, backup, 'jobs'));
      const res = await restore(app, backup.id, { mode: 'merge' });
      await expectRefused(app, res, 422, '/problems/backup_corrupt', before);
      expect(res.body).toMatchObject({ table: 'jobs', detail: expect.stringContaining('missing') });
      expectProblem(await get(app.baseUrl, `/backups/${backup.id}/files/jobs`), 404, '/problems/backup_file_missing');
    });

    it('the backup itself stays as recorded, restorable once the file is back', async () => {
      const path = fileOnDisk(app, backup, 'departments');
      const good = readFileSync(path);
      writeFileSync(path, good.subarray(0, good.length - 1));
      expect((await restore(app, backup.id, { mode: 'replace' })).status).toBe(422);
      expect((await get(app.baseUrl, `/backups/${backup.id}`)).body.status).toBe('completed');
      writeFileSync(path, good);
      await restored(app, backup.id, { mode: 'replace' });
      expect((await snapshot(app)).employees).toHaveLength(61);
    });
  });

  describe('uploaded files are checked as AVRO files of their table', () => {
    it('a file cut short inside a block', async () => {
      await loadSamples(app);
      const backup = await takeBackup(app);
      const bytes = readFileSync(fileOnDisk(app, backup, 'employees'));
      const res = await uploadBackup(app, { employees: bytes.subarray(0, bytes.length - 20) });
      expectProblem(res, 422, '/problems/backup_corrupt');
      expect(res.body.detail).toContain('cut short');
    });

    it.each([
      ['not AVRO at all', Buffer.from('id,name\n1,Sales\n')],
      ['empty', Buffer.alloc(0)],
    ])('%s', async (_label, bytes) => {
      const res = await uploadBackup(app, { departments: bytes });
      expectProblem(res, 422, '/problems/backup_corrupt');
    });

    it("the AVRO file of another table (a schema that does not resolve to the field's table)", async () => {
      await loadSamples(app);
      const backup = await takeBackup(app, { tables: ['departments'] });
      const res = await uploadBackup(app, { employees: readFileSync(fileOnDisk(app, backup, 'departments')) });
      expectProblem(res, 422, '/problems/backup_corrupt');
    });

    it('records a failed upload as failed, keeps none of its files, and will not restore it (409)', async () => {
      await loadSamples(app);
      const good = await takeBackup(app, { tables: ['departments'] });
      const res = await uploadBackup(app, { departments: readFileSync(fileOnDisk(app, good, 'departments')), jobs: Buffer.from('junk') });
      expectProblem(res, 422, '/problems/backup_corrupt');
      const [failed] = (await get(app.baseUrl, '/backups?limit=1')).body.items;
      expect(failed).toMatchObject({ origin: 'upload', status: 'failed', database: null, files: [], detail: expect.stringContaining('jobs') });
      expect(readdirSync(app.config.backups.dir).filter((name) => name.startsWith(`backup-${failed.id}-`))).toEqual([]);
      const before = await snapshot(app);
      await expectRefused(app, await restore(app, failed.id, { mode: 'merge' }), 409, '/problems/backup_not_complete', before);
    });

    it('a field that is not a table, a table twice, or no file: 400', async () => {
      const avro = Buffer.from('Obj\x01');
      expectProblem(await uploadBackup(app, { '../../escape': avro }), 400, '/problems/invalid_table');
      const form = new FormData();
      form.append('jobs', new Blob([avro]), 'a.avro');
      form.append('jobs', new Blob([avro]), 'b.avro');
      const twice = await fetch(`${app.baseUrl}/backups/upload`, { method: 'POST', body: form });
      expect(twice.status).toBe(400);
      expect(((await twice.json()) as { type: string }).type).toBe('/problems/duplicate_table');
      expectProblem(await uploadBackup(app, {}), 400, '/problems/missing_file');
      expectProblem(await postJson(app.baseUrl, '/backups/upload', {}), 415, '/problems/unsupported_media_type');
      // Nothing was ever written outside the folder, nor under a name a request gave.
      expect(readdirSync(app.config.backups.dir).every((name) => FILE_NAME.test(name))).toBe(true);
    });

    it('round trip through download and upload: same bytes, a new backup, restorable', async () => {
      const loaded = await loadSamples(app);
      const original = await takeBackup(app);
      const files: Record<string, Buffer> = {};
      for (const file of original.files) files[file.table] = (await download(app, file.download)).bytes;
      const res = await uploadBackup(app, files);
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/backups/${res.body.id}`);
      expect(res.body).toMatchObject({ origin: 'upload', status: 'completed', database: null });
      expect(res.body.id).not.toBe(original.id);
      const strip = (files: any[]): unknown[] => files.map(({ table, rows, bytes, sha256 }) => ({ table, rows, bytes, sha256 }));
      expect(strip(res.body.files)).toEqual(strip(original.files));
      expect(FILE_NAME.exec(res.body.files[0].file_name)?.slice(1)).toEqual([String(res.body.id), 'departments']);
      expect(res.body.files[0].file_name).not.toBe(original.files[0].file_name);
      await wipe(app);
      await restored(app, res.body.id, { mode: 'replace' });
      expect(await snapshot(app)).toEqual(loaded);
    });
  });

  it('rows that fail their checks: 422 listing the first errors (table, row, column, code), nothing changed', async () => {
    await loadSamples(app);
    const backup = await takeBackup(app);
    // Employees restored alone, over departments that are gone: every row names a missing department.
    await wipe(app, ['departments', 'employees']);
    const before = await snapshot(app);
    const res = await restore(app, backup.id, { mode: 'merge', tables: ['employees'] });
    await expectRefused(app, res, 422, '/problems/restore_rows_rejected', before);
    expect(res.body).toMatchObject({ backup_id: backup.id, errors_truncated: false });
    expect(res.body.errors).toHaveLength(61);
    expect(res.body.errors[0]).toEqual({
      table: 'employees',
      row: 0,
      column: 'department_id',
      value: '6',
      code: 'unknown_department',
      message: 'department_id 6 does not exist in departments',
    });
    expect(res.body.errors.map((e: any) => e.row)).toEqual([...Array(61).keys()]);
  });

  it('re-checks every row of a file as an upload\'s rows, even past rows already written, and rolls all back', async () => {
    await seed(app, { ...BASE_REFERENCES, employees: [{ id: 1, name: 'Already here', hire_date: '2020-01-01T00:00:00.000Z', department_id: 2, job_id: 2 }] });
    const before = await snapshot(app);
    const records = Array.from({ length: 2500 }, (_, i) => employee(i + 1));
    records[3] = employee(4, { name: '   ' });
    records[4] = employee(5, { name: 'Tab\u0001Name' });
    records[5] = employee(6, { hire_date: Date.UTC(10000, 0, 1) });
    records[1500] = employee(1501, { department_id: 999, job_id: 77 });
    records[2400] = employee(7);
    const uploaded = await uploadBackup(app, { employees: await employeesFile(records) });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.files).toEqual([expect.objectContaining({ table: 'employees', rows: 2500 })]);

    const replace = await restore(app, uploaded.body.id, { mode: 'replace' });
    await expectRefused(app, replace, 422, '/problems/restore_rows_rejected', before);
    const found = replace.body.errors.map((e: any) => [e.table, e.row, e.column, e.code]);
    expect(found).toEqual([
      ['employees', 3, 'name', 'required'],
      ['employees', 4, 'name', 'invalid_text'],
      ['employees', 5, 'hire_date', 'invalid_date'],
      ['employees', 1500, 'department_id', 'unknown_department'],
      ['employees', 1500, 'job_id', 'unknown_job'],
      ['employees', 2400, 'id', 'duplicate_id'],
    ]);
    // merge takes a repeated id as an update (the last record wins), like an upsert.
    const merge = await restore(app, uploaded.body.id, { mode: 'merge' });
    await expectRefused(app, merge, 422, '/problems/restore_rows_rejected', before);
    expect(merge.body.errors.map((e: any) => e.row)).toEqual([3, 4, 5, 1500, 1500]);

    // Past 100 errors the restore stops reading and says so.
    const hopeless = await uploadBackup(app, { employees: await employeesFile(Array.from({ length: 150 }, (_, i) => employee(i + 1, { name: '' }))) });
    const refused = await restore(app, hopeless.body.id, { mode: 'merge' });
    await expectRefused(app, refused, 422, '/problems/restore_rows_rejected', before);
    expect(refused.body).toMatchObject({ errors_truncated: true });
    expect(refused.body.errors.map((e: any) => e.row)).toEqual([...Array(100).keys()]);
  });

  it('unique names are checked too: a merge that would give a department name to two ids is refused', async () => {
    await loadSamples(app);
    const backup = await takeBackup(app, { tables: ['departments'] });
    // Sales (id 2 in the backup) is now held by a department the backup does not have.
    await app.dataSource.query("UPDATE departments SET name = 'Temp' WHERE id = 2");
    await seed(app, { departments: [{ id: 99, name: 'Sales' }] });
    const before = await snapshot(app);
    const res = await restore(app, backup.id, { mode: 'merge' });
    await expectRefused(app, res, 422, '/problems/restore_rows_rejected', before);
    expect(res.body.errors).toEqual([expect.objectContaining({ table: 'departments', row: 1, column: 'name', code: 'duplicate_name' })]);
  });

  it('replace would orphan stored employees: 409, nothing changed', async () => {
    const loaded = await loadSamples(app);
    const backup = await takeBackup(app);
    const res = await restore(app, backup.id, { mode: 'replace', tables: ['departments'] });
    await expectRefused(app, res, 409, '/problems/restore_conflict', loaded);
  });

  it('validates the request: mode, tables, the backup and its tables', async () => {
    await loadSamples(app);
    const backup = await takeBackup(app, { tables: ['departments', 'jobs'] });
    const before = await snapshot(app);
    await expectRefused(app, await restore(app, backup.id, {}), 400, '/problems/missing_mode', before);
    await expectRefused(app, await restore(app, backup.id, { mode: 'overwrite' }), 400, '/problems/invalid_request', before);
    await expectRefused(app, await restore(app, backup.id, { mode: 'merge' }, '?mode=replace'), 400, '/problems/conflicting_mode', before);
    await expectRefused(app, await restore(app, backup.id, { mode: 'merge', tables: ['projects'] }), 400, '/problems/invalid_request', before);
    await expectRefused(app, await restore(app, backup.id, { mode: 'merge', tables: ['jobs', 'jobs'] }), 400, '/problems/invalid_request', before);
    await expectRefused(app, await restore(app, backup.id, { mode: 'merge', tables: ['employees'] }), 422, '/problems/table_not_in_backup', before);
    await expectRefused(app, await restore(app, 987654, { mode: 'merge' }), 404, '/problems/not_found', before);
    await expectRefused(app, await restore(app, 0, { mode: 'merge' }), 400, '/problems/invalid_id', before);
    expectProblem(await postJson(app.baseUrl, '/backups', { tables: ['payroll'] }), 400, '/problems/invalid_request');
    expectProblem(await postJson(app.baseUrl, '/backups', { tables: [] }), 400, '/problems/invalid_request');
    expectProblem(await get(app.baseUrl, '/backups/987654'), 404, '/problems/not_found');
  });

  it('file names never come from the request: traversal and unknown tables are 400, unknown backups 404', async () => {
    await loadSamples(app);
    const backup = await takeBackup(app);
    expectProblem(await get(app.baseUrl, `/backups/${backup.id}/files/..%2F..%2Fetc%2Fpasswd`), 400, '/problems/invalid_table');
    expectProblem(await get(app.baseUrl, '/backups/1/files/..%2F..%2Fetc%2Fpasswd'), 400, '/problems/invalid_table');
    expectProblem(await get(app.baseUrl, `/backups/${backup.id}/files/%2Fetc%2Fpasswd`), 400, '/problems/invalid_table');
    expectProblem(await get(app.baseUrl, `/backups/${backup.id}/files/payroll`), 400, '/problems/invalid_table');
    expectProblem(await get(app.baseUrl, `/backups/${backup.id}/files/employees.avro`), 400, '/problems/invalid_table');
    expectProblem(await get(app.baseUrl, '/backups/..%2F1/files/jobs'), 400, '/problems/invalid_id');
    expectProblem(await get(app.baseUrl, '/backups/987654/files/jobs'), 404, '/problems/not_found');
  });

  it('on SQLite a backup and a load queue on the one connection; on PostgreSQL both run: each ends whole', async () => {
    await uploadCsv(app, 'departments', dataFile('departments.csv'));
    await uploadCsv(app, 'jobs', dataFile('jobs.csv'));
    const [backup, load] = await Promise.all([postJson(app.baseUrl, '/backups', {}), uploadCsv(app, 'employees', dataFile('hired_employees.csv'))]);
    expect([backup.status, load.status]).toEqual([201, 201]);
    // The backup saw the employees all or none, never part of the load.
    expect([0, 61]).toContain(backup.body.files[2].rows);
  });
});

describe('a backup taken on one database restores on the other', () => {
  const databases: TestDatabase[] = [];
  const apps: Partial<Record<'sqlite' | 'postgres', TestApp>> = {};

  beforeAll(async () => {
    // One folder for both, as a SQLite and a PostgreSQL run of one checkout share data/backups: their backup ids collide, their file names must not.
    const dir = newBackupDir();
    for (const kind of ['sqlite', 'postgres'] as const) {
      const database = await createTestDatabase(kind);
      databases.push(database);
      // The harness names its kind after TEST_DB: this suite runs one app of each whatever it is.
      apps[kind] = { ...(await startTestApp((config) => ({ ...config, backups: { dir } }), database)), kind };
    }
  });

  beforeEach(async () => {
    for (const app of Object.values(apps)) await app.reset();
  });

  afterAll(async () => {
    for (const app of Object.values(apps)) await app.close();
    for (const database of databases) await database.drop();
  });

  it.each([
    ['sqlite', 'postgres'],
    ['postgres', 'sqlite'],
  ] as const)('%s → %s: downloaded, uploaded, restored, every row identical', async (from, to) => {
    const source = apps[from] as TestApp;
    const target = apps[to] as TestApp;
    const loaded = await loadSamples(source);
    const backup = await takeBackup(source);
    expect(backup.database).toBe(from);
    const targetOwn = await takeBackup(target);

    const files: Record<string, Buffer> = {};
    for (const file of backup.files) files[file.table] = (await download(source, file.download)).bytes;
    const uploaded = await uploadBackup(target, files);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.files.map((f: any) => f.sha256)).toEqual(backup.files.map((f: any) => f.sha256));

    // Something already there, to see replace clear it.
    await seed(target, { departments: [{ id: 500, name: 'Only on the target' }] });
    const report = await restored(target, uploaded.body.id, { mode: 'replace' });
    expect(report.tables.map((t: any) => [t.table, t.deleted, t.inserted])).toEqual([
      ['departments', 1, 12],
      ['jobs', 0, 12],
      ['employees', 0, 61],
    ]);
    expect(await snapshot(target)).toEqual(loaded);

    // And back again: the target's own backup of the restored rows has the same records.
    const back = await takeBackup(target);
    // The target's earlier backup of its empty tables is untouched, whatever ids the two databases gave.
    expect((await get(target.baseUrl, `/backups/${targetOwn.id}`)).body).toEqual(targetOwn);
    for (const file of targetOwn.files) expect(sha256((await download(target, file.download)).bytes)).toBe(file.sha256);
    for (const table of DATA_TABLES) {
      const mine = await decodeAvro((await download(source, `/backups/${backup.id}/files/${table}`)).bytes);
      const theirs = await decodeAvro((await download(target, `/backups/${back.id}/files/${table}`)).bytes);
      expect(theirs.records).toEqual(mine.records);
    }
  });
});

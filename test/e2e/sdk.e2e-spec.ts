import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { dataFile } from '../harness/ingest-helpers';
import { useTestApp } from '../harness/test-app';
import { TEST_KEYS, withApiKeys } from '../harness/api-keys';

/**
 * A client SDK generated from the live OpenAPI document, then a consumer
 * written against it type-checked and run: a change in the API that breaks
 * generated clients fails here. Nothing generated is committed.
 */
const SDK_DIR = join(__dirname, '..', 'sdk');
const GENERATED = join(SDK_DIR, 'generated', 'api.ts');
const CONSUMER = join(SDK_DIR, 'sdk-consumer.ts');

function typeErrors(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(__dirname, '..', '..', 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  })!;
  // The consumer runs in Node 20 and in browsers: DOM types for fetch, FormData and Blob.
  const program = ts.createProgram([file], { ...config.options, noEmit: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.replace(SDK_DIR, 'test/sdk')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** What the consumer answers, as far as these assertions read it. */
interface Tour {
  uploads: { table: string; status: string; inserted: number }[];
  batch: object;
  employee: object;
  employeesTotal: number;
  hiringByQuarter: unknown[];
  aboveMean: { id: number; hired: number }[];
}

describe('client SDK generated from /docs-json', () => {
  // With keys on, as in production: the consumer must send one.
  const app = useTestApp(withApiKeys([TEST_KEYS.write]));

  it('generates, type-checks a consumer against it, and drives the API through it', async () => {
    // The generator is an ES module (as openapi-typescript is): it runs as its own process, as a user would
    // run it, and asynchronously, since it fetches the document from this process's server.
    await promisify(execFile)(process.execPath, [join(SDK_DIR, 'generate-client.mjs'), `${app.baseUrl}/docs-json`, GENERATED]);
    expect(readFileSync(GENERATED, 'utf8')).toContain('"/employees/batch"');

    expect(typeErrors(CONSUMER)).toEqual([]);

    // Loaded only now: it imports the client generated above. (Not `typeof import(...)`: that would drag the
    // SDK's browser types into this Node project.)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { tourTheApi } = require(CONSUMER) as {
      tourTheApi: (baseUrl: string, files: Record<'departments' | 'jobs', Blob>, apiKey: string) => Promise<Tour>;
    };
    const files = { departments: new Blob([dataFile('departments.csv')]), jobs: new Blob([dataFile('jobs.csv')]) };
    await expect(tourTheApi(app.baseUrl, files, 'not-a-key-at-all-0000')).rejects.toThrow(/upload departments answered 401/);
    const tour = await tourTheApi(app.baseUrl, files, TEST_KEYS.write.key);
    expect(tour.uploads.map((u) => [u.table, u.status, u.inserted])).toEqual([
      ['departments', 'succeeded', 12],
      ['jobs', 'succeeded', 12],
    ]);
    expect(tour.batch).toMatchObject({ table: 'employees', status: 'succeeded', inserted: 3 });
    expect(tour.employee).toMatchObject({ id: 2, name: 'Alan Turing', department_id: 1, job_id: 2 });
    expect(tour.employeesTotal).toBe(2);
    expect(tour.hiringByQuarter.length).toBeGreaterThan(0);
    // The mean is over all 12 departments (3 hires / 12): both departments with hires are above it, most hires first.
    expect(tour.aboveMean.map((d) => [d.id, d.hired])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });
});

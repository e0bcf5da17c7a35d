import { describe, expect, it, vi } from 'vitest';
import { startUpload, uploadForm, type UploadProgress } from '../src/upload/xhr-upload';
import { FakeXhr } from './fake-xhr';

const file = new File(['id,department\n1,Sales\n'], 'departments.csv', { type: 'text/csv' });

function start(onProgress: (p: UploadProgress) => void = () => undefined) {
  const xhr = new FakeXhr();
  const handle = startUpload(
    { table: 'departments', on_error: 'skip', dry_run: 'true', file },
    { baseUrl: 'http://api.test', headers: { Authorization: 'Bearer k' }, onProgress, createRequest: () => xhr as unknown as XMLHttpRequest },
  );
  return { xhr, handle };
}

describe('uploadForm', () => {
  it('puts the options first and the file last, under its own name', () => {
    const form = uploadForm({ file, table: 'jobs', mode: 'upsert' });
    expect([...form.keys()]).toEqual(['table', 'mode', 'file']);
    expect((form.get('file') as File).name).toBe('departments.csv');
  });
});

describe('startUpload', () => {
  it('posts the file to the generated client\'s upload path with the key, and reports progress in bytes', async () => {
    const progress = vi.fn();
    const { xhr } = start(progress);
    expect([xhr.method, xhr.url]).toEqual(['POST', 'http://api.test/ingest/csv']);
    expect(xhr.headers).toMatchObject({ Authorization: 'Bearer k', Accept: 'application/json' });
    expect(xhr.body?.get('on_error')).toBe('skip');
    xhr.progress(10, 40);
    xhr.progress(40, 40);
    expect(progress.mock.calls).toEqual([[{ sent: 10, total: 40 }], [{ sent: 40, total: 40 }]]);
  });

  it('gives the report of a 201', async () => {
    const { xhr, handle } = start();
    xhr.answer(201, { id: 7, status: 'succeeded', errors: [] });
    await expect(handle.done).resolves.toMatchObject({ kind: 'report', report: { id: 7 } });
  });

  it('gives the problem and the report of a file refused with 422', async () => {
    const { xhr, handle } = start();
    xhr.answer(422, { type: '/problems/rows_rejected', title: 'Unprocessable Content', status: 422, detail: '4 rows were rejected', report: { id: 8 } });
    await expect(handle.done).resolves.toMatchObject({ kind: 'rejected', problem: { detail: '4 rows were rejected' }, report: { id: 8 } });
  });

  it('gives any other answer as its problem details', async () => {
    const { xhr, handle } = start();
    xhr.answer(413, { type: '/problems/payload_too_large', title: 'Payload Too Large', status: 413, detail: 'the file is larger than 2 GiB' });
    await expect(handle.done).resolves.toEqual({
      kind: 'problem',
      problem: { type: '/problems/payload_too_large', title: 'Payload Too Large', status: 413, detail: 'the file is larger than 2 GiB' },
    });
  });

  it('cancels, and says whether the file had been sent whole', async () => {
    const first = start();
    first.xhr.progress(5, 40);
    first.handle.cancel();
    await expect(first.handle.done).resolves.toEqual({ kind: 'cancelled', afterSending: false });
    expect(first.xhr.aborted).toBe(true);

    const second = start();
    second.xhr.sent();
    second.handle.cancel();
    await expect(second.handle.done).resolves.toEqual({ kind: 'cancelled', afterSending: true });
  });

  it('turns a dropped connection into a problem, not a silent stop', async () => {
    const { xhr, handle } = start();
    xhr.fail();
    await expect(handle.done).resolves.toMatchObject({ kind: 'problem', problem: { status: 0 } });
  });
});

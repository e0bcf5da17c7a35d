import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';

export interface UploadResult {
  readonly ms: number;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Uploads a file from disk as multipart (file-backed Blob: streamed, never read whole into memory). */
export async function uploadFile(baseUrl: string, path: string, file: string, query = ''): Promise<UploadResult> {
  const form = new FormData();
  form.append('file', await openAsBlob(file), basename(file));
  const started = performance.now();
  const res = await fetch(`${baseUrl}${path}${query ? `?${query}` : ''}`, { method: 'POST', body: form });
  const body = (await res.json()) as Record<string, unknown>;
  const ms = performance.now() - started;
  if (res.status >= 300) throw new Error(`upload ${path} answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return { ms, status: res.status, body };
}

export async function postJson(baseUrl: string, path: string, json: unknown): Promise<void> {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
  if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  await res.arrayBuffer();
}

export async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - started;
}

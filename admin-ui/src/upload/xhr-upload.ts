import type { paths } from '../api/generated/api';
import { networkProblem, toProblem, type ShownProblem } from '../api/problem';
import type { IngestCsv, IngestionReport, RowsRejected, UploadFields, UploadQueued } from '../api/types';

/** The one call the UI makes without openapi-fetch: fetch() cannot report upload progress, XHR can. */
export const UPLOAD_PATH = '/ingest/csv' satisfies keyof paths;
export const UPLOAD_METHOD = 'POST' as const;

export interface UploadProgress {
  readonly sent: number;
  readonly total: number;
}

export type UploadOutcome =
  | { readonly kind: 'report'; readonly report: IngestionReport }
  | { readonly kind: 'queued'; readonly ingestion: UploadQueued }
  | { readonly kind: 'rejected'; readonly problem: ShownProblem; readonly report: RowsRejected['report'] }
  | { readonly kind: 'problem'; readonly problem: ShownProblem }
  | { readonly kind: 'cancelled'; readonly afterSending: boolean };

export interface UploadHandle {
  readonly done: Promise<UploadOutcome>;
  cancel(): void;
}

export interface UploadOptions {
  readonly baseUrl: string;
  readonly headers: Record<string, string>;
  readonly onProgress: (progress: UploadProgress) => void;
  /** Tests pass a fake. */
  readonly createRequest?: () => XMLHttpRequest;
}

/** Fields in a fixed order, the file last: the server reads the options before the file streams in. */
export function uploadForm(fields: UploadFields): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'file' || value === undefined || value === null) continue;
    form.append(name, String(value));
  }
  const file = fields.file;
  form.append('file', file, file instanceof File ? file.name : 'upload.csv');
  return form;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Sorts an answer by the statuses the OpenAPI document gives the operation. */
export function outcomeOf(status: number, statusText: string, text: string): UploadOutcome {
  const body = parseBody(text);
  if (status === 201) return { kind: 'report', report: body as IngestCsv['responses'][201]['content']['application/json'] };
  if (status === 202) return { kind: 'queued', ingestion: body as UploadQueued };
  const problem = toProblem(body, status, statusText);
  const report = (body as Partial<RowsRejected> | null)?.report;
  if (status === 422 && report) return { kind: 'rejected', problem, report };
  return { kind: 'problem', problem };
}

/**
 * Sends the File object itself: the browser streams it from disk, so a large
 * file is never read into the page's memory and the page stays responsive.
 */
export function startUpload(fields: UploadFields, options: UploadOptions): UploadHandle {
  const xhr = options.createRequest?.() ?? new XMLHttpRequest();
  let sentAll = false;
  const done = new Promise<UploadOutcome>((resolve) => {
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) options.onProgress({ sent: event.loaded, total: event.total });
    });
    xhr.upload.addEventListener('load', () => {
      sentAll = true;
    });
    xhr.addEventListener('load', () => resolve(outcomeOf(xhr.status, xhr.statusText, xhr.responseText)));
    xhr.addEventListener('abort', () => resolve({ kind: 'cancelled', afterSending: sentAll }));
    xhr.addEventListener('error', () => resolve({ kind: 'problem', problem: networkProblem(new Error('the upload was interrupted')) }));
    xhr.open(UPLOAD_METHOD, `${options.baseUrl}${UPLOAD_PATH}`);
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [name, value] of Object.entries(options.headers)) xhr.setRequestHeader(name, value);
    xhr.send(uploadForm(fields));
  });
  return { done, cancel: () => xhr.abort() };
}

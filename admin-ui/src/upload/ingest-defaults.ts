import { api, call, type Result } from '../api/client';
import type { IngestDefaults } from '../api/types';
import { formatBytes } from '../lib/format';

/** What an upload gets when it names no option, and the limits it must stay under (GET /ingest/defaults). */
export function loadIngestDefaults(): Promise<Result<IngestDefaults>> {
  return call(() => api.GET('/ingest/defaults'));
}

/** Why the file cannot be sent as it is, before a byte is: the service would answer 413 only after receiving it all. */
export function fileRefusal(file: File | null, defaults: IngestDefaults | null): string | null {
  if (!file || !defaults || file.size <= defaults.max_upload_bytes) return null;
  return `${file.name} is ${formatBytes(file.size)}, larger than the ${formatBytes(defaults.max_upload_bytes)} the service takes (ingest.max_upload_bytes). Split it, or ask for the limit to be raised.`;
}

import { describe, expect, it } from 'vitest';
import type { IngestDefaults } from '../src/api/types';
import { fileRefusal } from '../src/upload/ingest-defaults';
import { DEFAULT_OPTIONS, toUploadFields } from '../src/upload/UploadOptions';

const file = new File(['x'], 'x.csv');

describe('toUploadFields', () => {
  it('sends only the file by default: the service infers the table, its settings decide the rest', () => {
    expect(toUploadFields(DEFAULT_OPTIONS, file)).toEqual({ file });
  });

  it('sends each option that was chosen', () => {
    const fields = toUploadFields({ table: 'employees', mode: 'upsert', onError: 'skip', header: 'false', delimiter: 'tab', dryRun: true }, file);
    expect(fields).toEqual({ table: 'employees', mode: 'upsert', on_error: 'skip', header: 'false', delimiter: 'tab', dry_run: 'true', file });
  });
});

describe('fileRefusal', () => {
  const defaults = { max_upload_bytes: 1024 } as IngestDefaults;
  it('refuses a file over the service\'s max_upload_bytes, saying both sizes', () => {
    expect(fileRefusal(new File(['x'.repeat(2048)], 'big.csv'), defaults)).toBe(
      'big.csv is 2.00 KiB, larger than the 1.00 KiB the service takes (ingest.max_upload_bytes). Split it, or ask for the limit to be raised.',
    );
  });
  it('lets a file at the limit through, and any file while the limits are unknown', () => {
    expect(fileRefusal(new File(['x'.repeat(1024)], 'ok.csv'), defaults)).toBeNull();
    expect(fileRefusal(new File(['x'.repeat(2048)], 'big.csv'), null)).toBeNull();
  });
});

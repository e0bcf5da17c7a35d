import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, toUploadFields } from '../src/upload/UploadOptions';

const file = new File(['x'], 'x.csv');

describe('toUploadFields', () => {
  it('sends only the table and the file by default: the server\'s settings decide the rest', () => {
    expect(toUploadFields(DEFAULT_OPTIONS, 'jobs', file)).toEqual({ table: 'jobs', file });
  });

  it('sends each option that was chosen', () => {
    const fields = toUploadFields({ table: 'auto', mode: 'upsert', onError: 'skip', header: 'false', delimiter: 'tab', dryRun: true }, 'employees', file);
    expect(fields).toEqual({ table: 'employees', mode: 'upsert', on_error: 'skip', header: 'false', delimiter: 'tab', dry_run: 'true', file });
  });
});

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../src/api/client';
import type { IngestDefaults, IngestionReport as Report } from '../src/api/types';
import { AccessProvider } from '../src/auth/AccessContext';
import { BarChart } from '../src/chart/BarChart';
import { ErrorsTable } from '../src/components/ErrorsTable';
import { IngestionReport } from '../src/components/IngestionReport';
import { ProblemAlert } from '../src/components/ProblemAlert';
import { ProgressBar } from '../src/components/ProgressBar';
import { UploadPage } from '../src/pages/UploadPage';

afterEach(cleanup);

const DEFAULTS: IngestDefaults = {
  mode: 'upsert',
  on_error: 'skip',
  max_errors: null,
  header: 'auto',
  delimiter: ',',
  max_upload_bytes: 2 ** 31,
  max_rows_per_file: 50_000_000,
  max_batch_rows: 1000,
  max_batch_bytes: 5 * 2 ** 20,
};
/** GET /ingest/defaults as the service answers it. */
const serverDefaults = async (): Promise<Result<IngestDefaults>> => ({ ok: true, data: DEFAULTS, response: new Response() });

describe('ProgressBar', () => {
  it('shows bytes sent, of the total, and the percent, to assistive technology too', () => {
    render(<ProgressBar sent={512 * 1024} total={2 * 1024 * 1024} label="Uploading big.csv" />);
    const bar = screen.getByLabelText('Uploading big.csv');
    expect(bar.getAttribute('value')).toBe('25');
    expect(bar.getAttribute('aria-valuetext')).toBe('25%');
    expect(screen.getByText(/512\.0 KiB of 2\.00 MiB sent/)).toBeTruthy();
  });
});

describe('ProblemAlert', () => {
  it('shows the title, status and detail as an alert', () => {
    render(<ProblemAlert problem={{ title: 'Payload Too Large', status: 413, detail: 'the file is larger than 2 GiB', requestId: 'r-1' }} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Payload Too Large');
    expect(alert.textContent).toContain('(413)');
    expect(alert.textContent).toContain('the file is larger than 2 GiB');
    expect(alert.textContent).toContain('r-1');
  });
});

describe('ErrorsTable', () => {
  it('lists line, column, value, code and message, and says "whole row" for a row-level error', () => {
    render(
      <ErrorsTable
        caption="Row errors"
        errors={[
          { line: 4, column: 'hire_date', value: '2021-02-30', code: 'invalid_date', message: 'not a date' },
          { line: 6, column: null, value: null, code: 'wrong_column_count', message: 'expected 5 columns, found 4' },
        ]}
      />,
    );
    const rows = screen.getAllByRole('row').slice(1).map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['4', 'hire_date', '2021-02-30', 'invalid_date', 'not a date'],
      ['6', 'whole row', '', 'wrong_column_count', 'expected 5 columns, found 4'],
    ]);
  });
});

describe('BarChart', () => {
  it('draws one bar per entry, a segment per series, and the marker line', () => {
    const { container } = render(
      <BarChart
        id="c"
        title="Hires"
        series={['Q1', 'Q2']}
        bars={[
          { label: 'Sales', values: [1, 3] },
          { label: 'Legal', values: [2, 0] },
        ]}
        marker={{ value: 1.5, label: 'mean 1.50' }}
      />,
    );
    expect(container.querySelectorAll('g.bar')).toHaveLength(2);
    expect(container.querySelectorAll('g.bar[data-label="Sales"] rect')).toHaveLength(2);
    expect(container.querySelector('.marker text')?.textContent).toBe('mean 1.50');
    expect(screen.getByRole('img', { name: 'Hires' })).toBeTruthy();
  });
});

const report: Report = {
  id: 5, table: 'employees', source: 'broken.csv', source_kind: 'csv', mode: 'insert', on_error: 'skip', status: 'succeeded_with_rejects',
  started_at: '2026-01-01T00:00:00Z', finished_at: '2026-01-01T00:00:01Z', duration_ms: 1000, rows_read: 2, inserted: 1, updated: 0,
  unchanged: 0, skipped: 0, duplicate_in_file: 0, rejected: 1, detail: null, error: null, request_id: null, api_key: null, sha256: null,
  duplicate_of: null, dry_run: false, async: false, instance_id: null, heartbeat_at: null,
  progress: { bytes_read: 10, bytes_total: null, rows_read: 2, rows_written: 1, rejected: 1 },
  detected: { format: 'csv', header: true, columns: { datetime: 'hire_date' }, delimiter: ',' },
  timings_ms: null,
  errors: [{ line: 3, column: 'name', value: '', code: 'required', message: 'name is required' }],
  errors_truncated: false,
};

describe('IngestionReport', () => {
  it('shows the counts, the header mapping, the errors and a link to the rejected rows', () => {
    render(<IngestionReport report={report} />);
    expect(screen.getByRole('heading', { name: /Ingestion #5: employees from broken\.csv/ })).toBeTruthy();
    expect(screen.getByText('Inserted').nextElementSibling?.textContent).toBe('1');
    expect(screen.getByText('datetime').closest('tr')?.textContent).toContain('hire_date');
    expect(screen.getByText('name is required')).toBeTruthy();
    expect(screen.getByRole('link', { name: /Download rejected rows/ }).getAttribute('href')).toBe('/ingestions/5/rejects');
  });

  it('offers no rejects download for a dry run, where nothing is kept', () => {
    render(<IngestionReport report={{ ...report, dry_run: true }} />);
    expect(screen.queryByRole('link', { name: /Download rejected rows/ })).toBeNull();
  });
});

describe('UploadPage', () => {
  it('disables uploading for a read-only key and says why', async () => {
    render(
      <AccessProvider check={async () => ({ state: 'ready', withKey: true, keyName: 'dashboard', role: 'read' })}>
        <UploadPage loadDefaults={serverDefaults} />
      </AccessProvider>,
    );
    await waitFor(() => expect(screen.getByRole('note').textContent).toContain('the key "dashboard" has the role read'));
    expect((screen.getByRole('button', { name: 'Upload' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByLabelText('CSV file') as HTMLInputElement).disabled).toBe(true);
  });

  it('lets a key with write access choose a file and upload', async () => {
    render(
      <AccessProvider check={async () => ({ state: 'ready', withKey: false, keyName: null, role: 'admin' })}>
        <UploadPage loadDefaults={serverDefaults} />
      </AccessProvider>,
    );
    await waitFor(() => expect((screen.getByLabelText('CSV file') as HTMLInputElement).disabled).toBe(false));
    expect(screen.queryByRole('note')).toBeNull();
    // No file yet: nothing to upload.
    expect((screen.getByRole('button', { name: 'Upload' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows the server's defaults on the options it would use them for", async () => {
    render(
      <AccessProvider check={async () => ({ state: 'ready', withKey: false, keyName: null, role: 'admin' })}>
        <UploadPage loadDefaults={serverDefaults} />
      </AccessProvider>,
    );
    await waitFor(() => expect(screen.getByRole('option', { name: 'Server default (upsert)' })).toBeTruthy());
    expect(screen.getByRole('option', { name: 'Server default (skip)' })).toBeTruthy();
  });

  it('refuses a file larger than the server takes before sending a byte', async () => {
    render(
      <AccessProvider check={async () => ({ state: 'ready', withKey: false, keyName: null, role: 'admin' })}>
        <UploadPage loadDefaults={async () => ({ ...(await serverDefaults()), data: { ...DEFAULTS, max_upload_bytes: 4 } })} />
      </AccessProvider>,
    );
    const input = (await waitFor(() => screen.getByLabelText('CSV file'))) as HTMLInputElement;
    await waitFor(() => expect(input.disabled).toBe(false));
    fireEvent.change(input, { target: { files: [new File(['1,Sales\n'], 'departments.csv')] } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('larger than the 4 B'));
    expect((screen.getByRole('button', { name: 'Upload' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

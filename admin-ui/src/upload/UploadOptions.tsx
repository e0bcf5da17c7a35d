import type { IngestDefaults, TableName, UploadFields } from '../api/types';
import { TABLES } from '../api/types';

export interface OptionsValue {
  /** auto: the service tells the table from the file's header (POST /ingest/csv without "table"). */
  readonly table: TableName | 'auto';
  readonly mode: '' | NonNullable<UploadFields['mode']>;
  readonly onError: '' | NonNullable<UploadFields['on_error']>;
  readonly header: NonNullable<UploadFields['header']>;
  readonly delimiter: NonNullable<UploadFields['delimiter']>;
  readonly dryRun: boolean;
}

export const DEFAULT_OPTIONS: OptionsValue = { table: 'auto', mode: '', onError: '', header: 'auto', delimiter: ',', dryRun: false };

/** The upload's fields as the API takes them; "" and auto mean: the server decides (config/settings.yaml, the file's header). */
export function toUploadFields(options: OptionsValue, file: File): UploadFields {
  return {
    ...(options.table !== 'auto' ? { table: options.table } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.onError ? { on_error: options.onError } : {}),
    ...(options.header !== 'auto' ? { header: options.header } : {}),
    ...(options.delimiter !== ',' ? { delimiter: options.delimiter } : {}),
    ...(options.dryRun ? { dry_run: 'true' as const } : {}),
    file,
  };
}

/** "Server default (upsert)" once the service has said what its default is. */
const serverDefault = (value: string | undefined): string => (value ? `Server default (${value})` : 'Server default');

interface Props {
  readonly value: OptionsValue;
  /** GET /ingest/defaults; null until it answers (or when it could not). */
  readonly defaults: IngestDefaults | null;
  readonly onChange: (value: OptionsValue) => void;
  readonly disabled: boolean;
}

/** Table and load options, each a labelled native control. */
export function UploadOptions({ value, defaults, onChange, disabled }: Props) {
  const set = <K extends keyof OptionsValue>(key: K, v: OptionsValue[K]): void => onChange({ ...value, [key]: v });
  return (
    <fieldset class="options" disabled={disabled}>
      <legend>Options</legend>
      <div class="field">
        <label for="upload-table">Table</label>
        <select
          id="upload-table"
          value={value.table}
          aria-describedby={value.table === 'auto' ? 'upload-table-hint' : undefined}
          onChange={(e) => set('table', e.currentTarget.value as OptionsValue['table'])}
        >
          <option value="auto">From the file</option>
          {TABLES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        {value.table === 'auto' && (
          <p class="hint" id="upload-table-hint">
            The service tells the table from the file's header (its column names, aliases included). A file without a header, such as
            a legacy export, needs the table chosen here.
          </p>
        )}
      </div>
      <div class="field">
        <label for="upload-mode">Mode</label>
        <select id="upload-mode" value={value.mode} onChange={(e) => set('mode', e.currentTarget.value as OptionsValue['mode'])}>
          <option value="">{serverDefault(defaults?.mode)}</option>
          <option value="insert">insert: new ids only</option>
          <option value="upsert">upsert: insert or update</option>
          <option value="skip">skip: keep existing rows</option>
        </select>
      </div>
      <div class="field">
        <label for="upload-on-error">On error</label>
        <select id="upload-on-error" value={value.onError} onChange={(e) => set('onError', e.currentTarget.value as OptionsValue['onError'])}>
          <option value="">{serverDefault(defaults?.on_error)}</option>
          <option value="abort">abort: any bad row, nothing loaded</option>
          <option value="skip">skip: load the good rows</option>
        </select>
      </div>
      <div class="field">
        <label for="upload-header">Header row</label>
        <select id="upload-header" value={value.header} onChange={(e) => set('header', e.currentTarget.value as OptionsValue['header'])}>
          <option value="auto">Detect</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      </div>
      <div class="field">
        <label for="upload-delimiter">Delimiter</label>
        <select id="upload-delimiter" value={value.delimiter} onChange={(e) => set('delimiter', e.currentTarget.value as OptionsValue['delimiter'])}>
          <option value=",">Comma ,</option>
          <option value=";">Semicolon ;</option>
          <option value="|">Pipe |</option>
          <option value="tab">Tab</option>
        </select>
      </div>
      <div class="field checkbox">
        <input id="upload-dry-run" type="checkbox" checked={value.dryRun} onChange={(e) => set('dryRun', e.currentTarget.checked)} />
        <label for="upload-dry-run">Dry run: check everything, keep nothing</label>
      </div>
    </fieldset>
  );
}

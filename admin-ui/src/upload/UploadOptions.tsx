import type { TableName, UploadFields } from '../api/types';
import { TABLES } from '../api/types';
import type { InferredTable } from './infer-table';

export interface OptionsValue {
  readonly table: TableName | 'auto';
  readonly mode: '' | NonNullable<UploadFields['mode']>;
  readonly onError: '' | NonNullable<UploadFields['on_error']>;
  readonly header: NonNullable<UploadFields['header']>;
  readonly delimiter: NonNullable<UploadFields['delimiter']>;
  readonly dryRun: boolean;
}

export const DEFAULT_OPTIONS: OptionsValue = { table: 'auto', mode: '', onError: '', header: 'auto', delimiter: ',', dryRun: false };

/** The upload's fields as the API takes them; "" means: the server's setting (config/settings.yaml). */
export function toUploadFields(options: OptionsValue, table: TableName, file: File): UploadFields {
  return {
    table,
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.onError ? { on_error: options.onError } : {}),
    ...(options.header !== 'auto' ? { header: options.header } : {}),
    ...(options.delimiter !== ',' ? { delimiter: options.delimiter } : {}),
    ...(options.dryRun ? { dry_run: 'true' as const } : {}),
    file,
  };
}

interface Props {
  readonly value: OptionsValue;
  readonly inferred: InferredTable | null;
  readonly onChange: (value: OptionsValue) => void;
  readonly disabled: boolean;
}

/** Table and load options, each a labelled native control. */
export function UploadOptions({ value, inferred, onChange, disabled }: Props) {
  const set = <K extends keyof OptionsValue>(key: K, v: OptionsValue[K]): void => onChange({ ...value, [key]: v });
  return (
    <fieldset class="options" disabled={disabled}>
      <legend>Options</legend>
      <div class="field">
        <label for="upload-table">Table</label>
        <select id="upload-table" value={value.table} onChange={(e) => set('table', e.currentTarget.value as OptionsValue['table'])}>
          <option value="auto">From the file{inferred?.table ? ` (${inferred.table})` : ''}</option>
          {TABLES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        {value.table === 'auto' && inferred && (
          <p class="hint" id="upload-table-hint" aria-live="polite">
            {inferred.table ? `Looks like ${inferred.table}: ${inferred.reason}.` : inferred.reason}
          </p>
        )}
      </div>
      <div class="field">
        <label for="upload-mode">Mode</label>
        <select id="upload-mode" value={value.mode} onChange={(e) => set('mode', e.currentTarget.value as OptionsValue['mode'])}>
          <option value="">Server default</option>
          <option value="insert">insert: new ids only</option>
          <option value="upsert">upsert: insert or update</option>
          <option value="skip">skip: keep existing rows</option>
        </select>
      </div>
      <div class="field">
        <label for="upload-on-error">On error</label>
        <select id="upload-on-error" value={value.onError} onChange={(e) => set('onError', e.currentTarget.value as OptionsValue['onError'])}>
          <option value="">Server default</option>
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

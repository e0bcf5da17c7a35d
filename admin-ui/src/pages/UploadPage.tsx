import { useState } from 'preact/hooks';
import { refusalFor } from '../auth/access';
import { useAccess } from '../auth/AccessContext';
import { PageHeading } from '../components/PageHeading';
import { ProgressBar } from '../components/ProgressBar';
import { formatBytes } from '../lib/format';
import { useLoad } from '../lib/useLoad';
import { DropZone } from '../upload/DropZone';
import { fileRefusal, loadIngestDefaults } from '../upload/ingest-defaults';
import { DEFAULT_OPTIONS, UploadOptions, toUploadFields, type OptionsValue } from '../upload/UploadOptions';
import { UploadResult } from '../upload/UploadResult';
import { useUpload } from '../upload/useUpload';

/** loadDefaults: tests pass a fake of GET /ingest/defaults. */
export function UploadPage({ loadDefaults = loadIngestDefaults }: { loadDefaults?: typeof loadIngestDefaults }) {
  const { access } = useAccess();
  const refusal = refusalFor(access, 'POST /ingest/csv');
  const loaded = useLoad(loadDefaults, []);
  // Without the defaults the form still works: "Server default" and no size check before sending.
  const defaults = loaded.status === 'ok' ? loaded.data : null;
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState<OptionsValue>(DEFAULT_OPTIONS);
  const { state, send, cancel, reset } = useUpload();
  const sending = state.phase === 'sending';
  const tooLarge = fileRefusal(file, defaults);

  const chooseFile = (chosen: File): void => {
    setFile(chosen);
    reset();
  };

  return (
    <>
      <PageHeading>Upload a CSV file</PageHeading>
      {refusal && (
        <p class="notice" role="note" id="upload-refusal">
          Uploads are disabled. {refusal}
        </p>
      )}
      <form
        class="upload-form"
        aria-describedby={refusal ? 'upload-refusal' : undefined}
        onSubmit={(event) => {
          event.preventDefault();
          if (file && !tooLarge && !refusal) send(toUploadFields(options, file));
        }}
      >
        <DropZone file={file} onFile={chooseFile} disabled={sending || refusal !== null} />
        {defaults && (
          <p class="muted small" id="upload-limits">
            Up to {formatBytes(defaults.max_upload_bytes)} and {defaults.max_rows_per_file.toLocaleString()} rows per file.
          </p>
        )}
        {tooLarge && (
          <p class="notice" role="alert">
            {tooLarge}
          </p>
        )}
        <UploadOptions value={options} defaults={defaults} onChange={setOptions} disabled={sending || refusal !== null} />
        <div class="actions">
          <button type="submit" class="primary" disabled={!file || tooLarge !== null || sending || refusal !== null}>
            Upload
          </button>
          {sending && (
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {sending && <ProgressBar sent={state.progress.sent} total={state.progress.total} label={`Uploading ${file?.name ?? ''}`} />}
      {state.phase === 'done' && <UploadResult outcome={state.outcome} />}
    </>
  );
}

import { useState } from 'preact/hooks';
import { refusalFor } from '../auth/access';
import { useAccess } from '../auth/AccessContext';
import { PageHeading } from '../components/PageHeading';
import { ProgressBar } from '../components/ProgressBar';
import { DropZone } from '../upload/DropZone';
import { firstLineOf, inferTable, type InferredTable } from '../upload/infer-table';
import { DEFAULT_OPTIONS, UploadOptions, toUploadFields, type OptionsValue } from '../upload/UploadOptions';
import { UploadResult } from '../upload/UploadResult';
import { useUpload } from '../upload/useUpload';

export function UploadPage() {
  const { access } = useAccess();
  const refusal = refusalFor(access, 'POST /ingest/csv');
  const [file, setFile] = useState<File | null>(null);
  const [inferred, setInferred] = useState<InferredTable | null>(null);
  const [options, setOptions] = useState<OptionsValue>(DEFAULT_OPTIONS);
  const { state, send, cancel, reset } = useUpload();
  const sending = state.phase === 'sending';
  const table = options.table === 'auto' ? inferred?.table ?? null : options.table;

  const chooseFile = (chosen: File): void => {
    setFile(chosen);
    setInferred(null);
    reset();
    void firstLineOf(chosen).then((line) => setInferred(inferTable(chosen.name, line)));
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
          if (file && table && !refusal) send(toUploadFields(options, table, file));
        }}
      >
        <DropZone file={file} onFile={chooseFile} disabled={sending || refusal !== null} />
        <UploadOptions value={options} inferred={inferred} onChange={setOptions} disabled={sending || refusal !== null} />
        <div class="actions">
          <button type="submit" class="primary" disabled={!file || !table || sending || refusal !== null}>
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

import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import type { ShownProblem } from '../api/problem';
import { saveFile } from '../api/save-file';
import { ProblemAlert } from './ProblemAlert';

/** The rejected rows as a CSV to fix and upload again (fetched with the key, then saved). */
export function RejectsDownload({ ingestionId }: { ingestionId: number }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ShownProblem | null>(null);
  const download = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    const result = await call(() => api.GET('/ingestions/{id}/rejects', { params: { path: { id: ingestionId } }, parseAs: 'blob' }));
    setBusy(false);
    if (result.ok) saveFile(result.data, `ingestion-${ingestionId}-rejects.csv`);
    else setProblem(result.problem);
  };
  return (
    <div class="rejects">
      <a
        href={`/ingestions/${ingestionId}/rejects`}
        class="button"
        download={`ingestion-${ingestionId}-rejects.csv`}
        onClick={(event) => {
          event.preventDefault();
          if (!busy) void download();
        }}
      >
        {busy ? 'Downloading…' : 'Download rejected rows (CSV)'}
      </a>
      {problem && <ProblemAlert problem={problem} />}
    </div>
  );
}

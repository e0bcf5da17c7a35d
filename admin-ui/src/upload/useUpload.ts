import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { reportUnauthorized } from '../api/client';
import { authHeaders } from '../api/key-store';
import type { UploadFields } from '../api/types';
import { startUpload, type UploadHandle, type UploadOutcome, type UploadProgress } from './xhr-upload';

export type UploadState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'sending'; readonly progress: UploadProgress }
  | { readonly phase: 'done'; readonly outcome: UploadOutcome };

/** One upload at a time: its progress, a cancel, and how it ended. */
export function useUpload(start: typeof startUpload = startUpload) {
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const handle = useRef<UploadHandle | null>(null);

  const send = useCallback(
    (fields: UploadFields) => {
      const total = fields.file.size;
      setState({ phase: 'sending', progress: { sent: 0, total } });
      const current = start(fields, {
        baseUrl: window.location.origin,
        headers: authHeaders(),
        onProgress: (progress) => setState({ phase: 'sending', progress }),
      });
      handle.current = current;
      void current.done.then((outcome) => {
        if (handle.current !== current) return;
        handle.current = null;
        if (outcome.kind === 'problem' && outcome.problem.status === 401) reportUnauthorized(outcome.problem);
        setState({ phase: 'done', outcome });
      });
    },
    [start],
  );

  const cancel = useCallback(() => handle.current?.cancel(), []);
  const reset = useCallback(() => setState({ phase: 'idle' }), []);
  // Leaving the page cancels an upload still sending: nobody would see its answer.
  useEffect(() => () => handle.current?.cancel(), []);
  return { state, send, cancel, reset };
}

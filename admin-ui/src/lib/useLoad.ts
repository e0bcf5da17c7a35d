import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Result } from '../api/client';
import type { ShownProblem } from '../api/problem';

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ok'; readonly data: T; readonly response: Response }
  | { readonly status: 'error'; readonly problem: ShownProblem };

/**
 * Runs a call whenever its inputs change; an answer to an older call that
 * arrives late is dropped, so quick filter changes cannot show stale rows.
 */
export function useLoad<T>(load: () => Promise<Result<T>>, inputs: readonly unknown[]): Loaded<T> & { reload: () => void } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    void load().then((result) => {
      if (!current) return;
      setState(result.ok ? { status: 'ok', data: result.data, response: result.response } : { status: 'error', problem: result.problem });
    });
    return () => {
      current = false;
    };
  }, [...inputs, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

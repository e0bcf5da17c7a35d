import { useState } from 'preact/hooks';
import type { ShownProblem } from '../api/problem';
import { setApiKey } from '../api/key-store';
import { ProblemAlert } from './ProblemAlert';

/** Asks for an API key once; it is kept for this tab only (sessionStorage) and sent on every call. */
export function KeyPrompt({ problem }: { problem: ShownProblem | null }) {
  const [key, setKey] = useState('');
  return (
    <section class="key-prompt" aria-labelledby="key-heading">
      <h1 id="key-heading" tabIndex={-1}>
        API key needed
      </h1>
      <p>This service requires an API key. It is kept for this browser tab only and sent with every call, never in a URL.</p>
      {problem && <ProblemAlert problem={problem} />}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim()) setApiKey(key.trim());
        }}
      >
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" spellcheck={false} required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        <button type="submit">Use this key</button>
      </form>
    </section>
  );
}

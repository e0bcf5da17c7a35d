import type { ComponentChildren } from 'preact';
import { KeyPrompt } from '../components/KeyPrompt';
import { Loading } from '../components/Loading';
import { ProblemAlert } from '../components/ProblemAlert';
import { useAccess } from './AccessContext';

/** The pages once the API answers; before that, a key prompt or why it cannot be reached. */
export function AccessGate({ children }: { children: ComponentChildren }) {
  const { access, recheck } = useAccess();
  switch (access.state) {
    case 'checking':
      return <Loading what="access" />;
    case 'needs-key':
      return <KeyPrompt problem={access.problem} />;
    case 'unavailable':
      return <ProblemAlert problem={access.problem} onRetry={recheck} />;
    case 'ready':
      return <>{children}</>;
  }
}

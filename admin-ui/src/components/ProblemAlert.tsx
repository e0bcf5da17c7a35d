import type { ShownProblem } from '../api/problem';

/** An API error as the API put it (title and detail), announced to screen readers. */
export function ProblemAlert({ problem, onRetry }: { problem: ShownProblem; onRetry?: () => void }) {
  return (
    <div class="alert" role="alert">
      <p class="alert-title">
        <strong>{problem.title}</strong>
        {problem.status > 0 && <span class="muted"> ({problem.status})</span>}
      </p>
      {problem.detail && <p class="alert-detail">{problem.detail}</p>}
      {problem.requestId && <p class="muted small">Request id: {problem.requestId}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

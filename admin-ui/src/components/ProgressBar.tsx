import { formatBytes, percentOf } from '../lib/format';

/** Bytes sent of the whole, from the browser's upload progress events. */
export function ProgressBar({ sent, total, label }: { sent: number; total: number; label: string }) {
  const percent = percentOf(sent, total);
  return (
    <div class="progress">
      <progress id="upload-progress" max={100} value={percent} aria-label={label} aria-valuetext={`${percent}%`} />
      <p class="progress-text" aria-live="polite">
        {formatBytes(sent)} of {formatBytes(total)} sent · <span data-testid="upload-percent">{percent}%</span>
      </p>
    </div>
  );
}

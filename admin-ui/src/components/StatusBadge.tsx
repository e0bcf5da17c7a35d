import { formatStatus } from '../lib/format';

/** The status in words, coloured by outcome; the words carry the meaning, not the colour. */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{formatStatus(status)}</span>;
}

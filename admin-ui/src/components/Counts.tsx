import type { Ingestion } from '../api/types';

const COUNTS = [
  ['rows_read', 'Rows read'],
  ['inserted', 'Inserted'],
  ['updated', 'Updated'],
  ['unchanged', 'Unchanged'],
  ['skipped', 'Skipped'],
  ['duplicate_in_file', 'Duplicates in file'],
  ['rejected', 'Rejected'],
] as const;

/** The counts of an ingestion; they add up to rows_read. */
export function Counts({ ingestion }: { ingestion: Ingestion }) {
  return (
    <dl class="counts" aria-label="Counts">
      {COUNTS.map(([field, label]) => (
        <div key={field} class={field === 'rejected' && ingestion.rejected > 0 ? 'count bad' : 'count'} data-count={field}>
          <dt>{label}</dt>
          <dd>{ingestion[field]}</dd>
        </div>
      ))}
    </dl>
  );
}

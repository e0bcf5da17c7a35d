import type { IngestionDetail, IngestionReport as Report } from '../api/types';
import { formatDuration, formatInstant } from '../lib/format';
import { Counts } from './Counts';
import { DetectedSource } from './DetectedSource';
import { ErrorsTable } from './ErrorsTable';
import { RejectsDownload } from './RejectsDownload';
import { StatusBadge } from './StatusBadge';

/** One ingestion in full: what, how it went, the counts, what was detected, and every row error. */
export function IngestionReport({ report, headingLevel = 2 }: { report: Report | IngestionDetail; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const truncated = 'errors_truncated' in report && report.errors_truncated;
  return (
    <section class="report" aria-labelledby={`report-${report.id}`} data-testid="ingestion-report">
      <Heading id={`report-${report.id}`}>
        Ingestion #{report.id}: {report.table} from {report.source} <StatusBadge status={report.status} />
      </Heading>
      <p class="muted">
        Mode {report.mode}, on error {report.on_error}
        {report.dry_run && ', dry run (nothing kept)'} · started {formatInstant(report.started_at)} · took {formatDuration(report.duration_ms)}
        {report.duplicate_of !== null && ` · same file as ingestion #${report.duplicate_of}`}
      </p>
      {report.detail && <p class="detail">{report.detail}</p>}
      <Counts ingestion={report} />
      <DetectedSource detected={report.detected} />
      {report.errors.length > 0 && (
        <>
          <ErrorsTable errors={report.errors} caption={`Row errors (${report.errors.length}${truncated ? ', more not listed' : ''})`} />
          {report.rejected > 0 && !report.dry_run && <RejectsDownload ingestionId={report.id} />}
        </>
      )}
    </section>
  );
}

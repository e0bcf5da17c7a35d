import { IngestionReport } from '../components/IngestionReport';
import { Link } from '../components/Link';
import { ProblemAlert } from '../components/ProblemAlert';
import type { UploadOutcome } from './xhr-upload';

/** How an upload ended: its report, the rejected rows of a refused file, an error, or a cancel. */
export function UploadResult({ outcome }: { outcome: UploadOutcome }) {
  switch (outcome.kind) {
    case 'report':
      return <IngestionReport report={outcome.report} />;
    case 'rejected':
      return (
        <>
          <ProblemAlert problem={outcome.problem} />
          <IngestionReport report={outcome.report} />
        </>
      );
    case 'queued':
      return (
        <p role="status">
          Queued as ingestion <Link to={`/history/${outcome.ingestion.id}`}>#{outcome.ingestion.id}</Link>; it loads in the background.
        </p>
      );
    case 'problem':
      return <ProblemAlert problem={outcome.problem} />;
    case 'cancelled':
      return (
        <p role="status" class="notice">
          {outcome.afterSending
            ? 'Cancelled after the whole file was sent: the server may have loaded it anyway. Check the history.'
            : 'Upload cancelled: the server stops reading and writes nothing.'}
        </p>
      );
  }
}

import { api, call } from '../api/client';
import { IngestionReport } from '../components/IngestionReport';
import { Link } from '../components/Link';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../lib/useLoad';

/** One ingestion of the history, with its stored row errors. */
export function IngestionPage({ id }: { id: number }) {
  const ingestion = useLoad(() => call(() => api.GET('/ingestions/{id}', { params: { path: { id } } })), [id]);
  return (
    <>
      <p>
        <Link to="/history">← History</Link>
      </p>
      <PageHeading>Ingestion #{id}</PageHeading>
      {ingestion.status === 'loading' && <Loading what={`ingestion #${id}`} />}
      {ingestion.status === 'error' && <ProblemAlert problem={ingestion.problem} onRetry={ingestion.reload} />}
      {ingestion.status === 'ok' && <IngestionReport report={ingestion.data} />}
    </>
  );
}

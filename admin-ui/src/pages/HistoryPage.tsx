import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { STATUSES, TABLES, type IngestionStatus, type TableName } from '../api/types';
import { Link } from '../components/Link';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/Pager';
import { ProblemAlert } from '../components/ProblemAlert';
import { Select } from '../components/Select';
import { StatusBadge } from '../components/StatusBadge';
import { TableScroll } from '../components/TableScroll';
import { formatDuration, formatInstant } from '../lib/format';
import { useLoad } from '../lib/useLoad';

const PAGE_SIZE = 25;

/** The audit trail, newest first, filtered by table and status. */
export function HistoryPage() {
  const [table, setTable] = useState<TableName | ''>('');
  const [status, setStatus] = useState<IngestionStatus | ''>('');
  const [offset, setOffset] = useState(0);
  const page = useLoad(
    () =>
      call(() =>
        api.GET('/ingestions', {
          params: { query: { limit: PAGE_SIZE, offset, ...(table ? { table } : {}), ...(status ? { status } : {}) } },
        }),
      ),
    [table, status, offset],
  );
  const filter = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setOffset(0);
  };

  return (
    <>
      <PageHeading>History</PageHeading>
      <form class="filters" aria-label="Filter ingestions" onSubmit={(e) => e.preventDefault()}>
        <Select id="history-table" label="Table" value={table} choices={TABLES} allLabel="All tables" onChange={filter(setTable)} />
        <Select id="history-status" label="Status" value={status} choices={STATUSES} allLabel="All statuses" onChange={filter(setStatus)} />
      </form>
      {page.status === 'loading' && <Loading what="ingestions" />}
      {page.status === 'error' && <ProblemAlert problem={page.problem} onRetry={page.reload} />}
      {page.status === 'ok' && (
        <>
          {page.data.total === 0 ? (
            <p>No ingestions{table || status ? ' match these filters' : ' yet'}.</p>
          ) : (
            <TableScroll label="Ingestions, newest first">
              <table class="history" data-testid="history-table">
                <caption class="sr-only">Ingestions, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Table</th>
                    <th scope="col">Source</th>
                    <th scope="col">Mode</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">Read</th>
                    <th scope="col" class="num">Inserted</th>
                    <th scope="col" class="num">Updated</th>
                    <th scope="col" class="num">Rejected</th>
                    <th scope="col" class="num">Duration</th>
                    <th scope="col">Started</th>
                  </tr>
                </thead>
                <tbody>
                  {page.data.items.map((ingestion) => (
                    <tr key={ingestion.id}>
                      <td>
                        <Link to={`/history/${ingestion.id}`}>#{ingestion.id}</Link>
                      </td>
                      <td>{ingestion.table}</td>
                      <td>{ingestion.source}</td>
                      <td>{ingestion.mode}</td>
                      <td>
                        <StatusBadge status={ingestion.status} />
                        {ingestion.dry_run && <span class="muted small"> dry run</span>}
                      </td>
                      <td class="num">{ingestion.rows_read}</td>
                      <td class="num">{ingestion.inserted}</td>
                      <td class="num">{ingestion.updated}</td>
                      <td class="num">{ingestion.rejected}</td>
                      <td class="num">{formatDuration(ingestion.duration_ms)}</td>
                      <td>{formatInstant(ingestion.started_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <Pager offset={offset} limit={PAGE_SIZE} total={page.data.total} onOffset={setOffset} />
        </>
      )}
    </>
  );
}

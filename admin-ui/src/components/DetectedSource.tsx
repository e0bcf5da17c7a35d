import type { Detected } from '../api/types';
import { formatBytes } from '../lib/format';
import { TableScroll } from './TableScroll';

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '|': 'pipe', '\t': 'tab' };

/** How the service chose the table of an upload that named none. */
const TABLE_INFERRED_FROM: Record<string, string> = {
  header: "by the service, from the header's column names",
};

/** What the server found in the file: its dialect, and which source column became which canonical one. */
export function DetectedSource({ detected }: { detected: Detected | null }) {
  if (!detected) return <p class="muted">Nothing was read from the source.</p>;
  const mapping = Object.entries(detected.columns ?? {});
  return (
    <section aria-labelledby="detected-heading">
      <h3 id="detected-heading">Detected</h3>
      <dl class="facts">
        <dt>Format</dt>
        <dd>{detected.format}</dd>
        {detected.table_inferred_from !== undefined && (
          <>
            <dt>Table chosen</dt>
            <dd data-testid="table-inferred-from">{TABLE_INFERRED_FROM[detected.table_inferred_from] ?? detected.table_inferred_from}</dd>
          </>
        )}
        {detected.header !== undefined && (
          <>
            <dt>Header row</dt>
            <dd>{detected.header ? 'yes' : 'no (columns in canonical order)'}</dd>
          </>
        )}
        {detected.delimiter !== undefined && (
          <>
            <dt>Delimiter</dt>
            <dd>{DELIMITER_NAMES[detected.delimiter] ?? detected.delimiter}</dd>
          </>
        )}
        {detected.line_endings !== undefined && (
          <>
            <dt>Line endings</dt>
            <dd>{detected.line_endings}</dd>
          </>
        )}
        {detected.bom !== undefined && (
          <>
            <dt>Byte order mark</dt>
            <dd>{detected.bom ? 'yes' : 'no'}</dd>
          </>
        )}
        {detected.bytes !== undefined && (
          <>
            <dt>Size</dt>
            <dd>{formatBytes(detected.bytes)}</dd>
          </>
        )}
      </dl>
      {mapping.length > 0 && (
        <TableScroll label="Header mapping">
          <table class="mapping">
            <caption>Header mapping</caption>
            <thead>
              <tr>
                <th scope="col">Column in the file</th>
                <th scope="col">Loaded as</th>
              </tr>
            </thead>
            <tbody>
              {mapping.map(([source, canonical]) => (
                <tr key={source}>
                  <td>
                    <code>{source}</code>
                  </td>
                  <td>
                    <code>{canonical}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

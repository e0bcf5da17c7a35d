import { setApiKey } from '../api/key-store';
import { useAccess } from '../auth/AccessContext';
import type { Route } from '../router';
import { Link } from './Link';

const PAGES = [
  { to: '/', label: 'Upload', pages: ['upload'] },
  { to: '/history', label: 'History', pages: ['history', 'ingestion'] },
  { to: '/data/employees', label: 'Data', pages: ['data'] },
  { to: '/metrics', label: 'Metrics', pages: ['metrics'] },
] as const;

/** Site title, the pages, and the key in use (with a way to forget it). */
export function Header({ route }: { route: Route }) {
  const { access } = useAccess();
  return (
    <header class="site-header">
      <p class="site-title">db-migration-api · admin</p>
      <nav aria-label="Pages">
        <ul>
          {PAGES.map((page) => (
            <li key={page.to}>
              <Link to={page.to} current={(page.pages as readonly string[]).includes(route.page)}>
                {page.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {access.state === 'ready' && access.withKey && (
        <p class="key-status">
          <span data-testid="key-role">{`Key "${access.keyName ?? ''}", role ${access.role}`}</span>{' '}
          <button type="button" onClick={() => setApiKey(null)}>
            Forget key
          </button>
        </p>
      )}
    </header>
  );
}

import { useEffect, useState } from 'preact/hooks';

/** Where the service mounts the UI; the server answers index.html for every path under it. */
export const BASE = '/admin';

export type Route =
  | { readonly page: 'upload' }
  | { readonly page: 'history' }
  | { readonly page: 'ingestion'; readonly id: number }
  | { readonly page: 'data'; readonly table: 'departments' | 'jobs' | 'employees' }
  | { readonly page: 'metrics' }
  | { readonly page: 'not-found'; readonly path: string };

/** The route of a path below BASE ("/history/12"); unknown paths get a page that says so. */
export function matchRoute(path: string): Route {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === '/' || clean === '/upload') return { page: 'upload' };
  if (clean === '/history') return { page: 'history' };
  const ingestion = /^\/history\/(\d{1,10})$/.exec(clean);
  if (ingestion) return { page: 'ingestion', id: Number(ingestion[1]) };
  if (clean === '/data') return { page: 'data', table: 'employees' };
  const data = /^\/data\/(departments|jobs|employees)$/.exec(clean);
  if (data) return { page: 'data', table: data[1] as 'departments' | 'jobs' | 'employees' };
  if (clean === '/metrics') return { page: 'metrics' };
  return { page: 'not-found', path: clean };
}

/** The path below BASE of the current location. */
export function currentPath(pathname = window.location.pathname): string {
  return pathname.startsWith(BASE) ? pathname.slice(BASE.length) || '/' : '/';
}

const NAVIGATED = 'admin:navigate';

export function navigate(path: string): void {
  window.history.pushState(null, '', `${BASE}${path}`);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** The current path, updated on links, back and forward. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = (): void => setPath(currentPath());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return path;
}

// The API key lives in sessionStorage: gone when the tab closes, never in a URL
// (where it would end up in history and logs), never in a cookie (the API reads headers only).
const STORAGE_KEY = 'db-migration-api.admin.api-key';

type Listener = () => void;
const listeners = new Set<Listener>();

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage disabled by the browser: the key then lasts as long as the page.
    return null;
  }
}

let memory: string | null = null;

export function getApiKey(): string | null {
  return storage()?.getItem(STORAGE_KEY) ?? memory;
}

export function setApiKey(key: string | null): void {
  memory = key;
  const store = storage();
  if (key === null) store?.removeItem(STORAGE_KEY);
  else store?.setItem(STORAGE_KEY, key);
  for (const listener of listeners) listener();
}

export function onApiKeyChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The headers that carry the key, for calls made outside the generated client (the upload's XHR). */
export function authHeaders(): Record<string, string> {
  const key = getApiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './generated/api';
import { authHeaders } from './key-store';
import { networkProblem, toProblem, type ShownProblem } from './problem';

type Listener = (problem: ShownProblem) => void;
const unauthorizedListeners = new Set<Listener>();

/** Called with the problem of any 401, whatever call met it: the key is missing or no longer valid. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function reportUnauthorized(problem: ShownProblem): void {
  for (const listener of unauthorizedListeners) listener(problem);
}

const auth: Middleware = {
  onRequest({ request }) {
    for (const [name, value] of Object.entries(authHeaders())) request.headers.set(name, value);
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401) reportUnauthorized(toProblem(await response.clone().json().catch(() => null), 401));
    return undefined;
  },
};

/** The generated client: every call of the UI goes through it, typed by the OpenAPI document. */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** An openapi-fetch result: data on success, the problem otherwise. */
export type Result<T> = { ok: true; data: T; response: Response } | { ok: false; problem: ShownProblem };

/** Runs a call of the client and folds its three outcomes (data, error body, no answer) into one. */
export async function call<T>(request: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Result<T>> {
  try {
    const { data, error, response } = await request();
    if (response.ok && data !== undefined) return { ok: true, data, response };
    return { ok: false, problem: toProblem(error, response.status, response.statusText) };
  } catch (error) {
    return { ok: false, problem: networkProblem(error) };
  }
}

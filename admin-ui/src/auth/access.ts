import { api, call } from '../api/client';
import { getApiKey } from '../api/key-store';
import type { ShownProblem } from '../api/problem';
import { requiredRole, roleAllows, type Operation, type Role } from './roles';

export type Access =
  | { readonly state: 'checking' }
  /** Keys are on and there is no valid one: the UI asks for one. */
  | { readonly state: 'needs-key'; readonly problem: ShownProblem | null }
  /** The API could not be asked at all (down, or an unexpected error). */
  | { readonly state: 'unavailable'; readonly problem: ShownProblem }
  | {
      readonly state: 'ready';
      /** Whether calls carry a key (false: the service runs without keys). */
      readonly withKey: boolean;
      /** What the key may do, as far as the UI can tell (admin when the service runs without keys). */
      readonly role: Role;
      /** Why write calls are refused: the server's own 403 answer. */
      readonly writeRefusal: ShownProblem | null;
    };

/** The operation whose answer tells whether the key may write: see checkAccess. */
const WRITE_PROBE: Operation = 'POST /departments/batch';

/**
 * What the current key (or none) may do. A read is tried first: 401 means a
 * key is needed. No endpoint tells a key's role, so a write that cannot write
 * anything tells it instead: an empty dry-run batch. The key guard answers 403
 * before the body is even looked at; a key allowed to write gets 400 (a batch
 * needs rows), and nothing is recorded either way.
 */
export async function checkAccess(): Promise<Access> {
  const read = await call(() => api.GET('/ingestions', { params: { query: { limit: 1 } } }));
  if (!read.ok) {
    if (read.problem.status === 401) return { state: 'needs-key', problem: getApiKey() ? read.problem : null };
    return { state: 'unavailable', problem: read.problem };
  }
  if (!getApiKey()) return { state: 'ready', withKey: false, role: 'admin', writeRefusal: null };
  const write = await call(() => api.POST('/departments/batch', { params: { query: { dry_run: true } }, body: { rows: [] } }));
  if (!write.ok && write.problem.status === 403) return { state: 'ready', withKey: true, role: 'read', writeRefusal: write.problem };
  return { state: 'ready', withKey: true, role: requiredRole(WRITE_PROBE), writeRefusal: null };
}

/** Why an operation is not allowed with this access, or null when it is. */
export function refusalFor(access: Access, operation: Operation): string | null {
  if (access.state !== 'ready') return 'Checking access…';
  const needed = requiredRole(operation);
  if (roleAllows(access.role, needed)) return null;
  const server = access.writeRefusal?.detail ? ` The service says: ${access.writeRefusal.detail}.` : '';
  return `This needs an API key with the role ${needed}, and the key in use is read-only.${server} Forget the key and use one with the role ${needed} to enable it.`;
}

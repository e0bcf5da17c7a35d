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
      /** The key's configured name, as the audit trail records it; null without keys. */
      readonly keyName: string | null;
      /** What the key may do (admin when the service runs without keys). */
      readonly role: Role;
    };

/** What the current key (or none) may do, as the service tells it (GET /auth/whoami); 401 means a key is needed. */
export async function checkAccess(): Promise<Access> {
  const whoami = await call(() => api.GET('/auth/whoami'));
  if (!whoami.ok) {
    if (whoami.problem.status === 401) return { state: 'needs-key', problem: getApiKey() ? whoami.problem : null };
    return { state: 'unavailable', problem: whoami.problem };
  }
  const { authentication, key_name: keyName, role } = whoami.data;
  return { state: 'ready', withKey: authentication === 'api_key', keyName, role };
}

/** Why an operation is not allowed with this access, or null when it is. */
export function refusalFor(access: Access, operation: Operation): string | null {
  if (access.state !== 'ready') return 'Checking access…';
  const needed = requiredRole(operation);
  if (roleAllows(access.role, needed)) return null;
  const key = access.keyName ? `the key "${access.keyName}"` : 'the key in use';
  return `This needs an API key with the role ${needed}, and ${key} has the role ${access.role}. Forget the key and use one with the role ${needed} to enable it.`;
}

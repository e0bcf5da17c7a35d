import { ApiKeyRole, sha256Of } from '../../src/auth/api-key';
import { AppConfig } from '../../src/config/app-config';

export interface TestKey {
  readonly name: string;
  readonly role: ApiKeyRole;
  readonly key: string;
}

/** One key per role, as a deployment would configure them. */
export const TEST_KEYS = {
  read: { name: 'dashboard', role: 'read', key: 'read-key-0123456789abcdef' },
  write: { name: 'etl-nightly', role: 'write', key: 'write-key-0123456789abcdef' },
  admin: { name: 'ops', role: 'admin', key: 'admin-key-0123456789abcdef' },
} as const satisfies Record<ApiKeyRole, TestKey>;

/** A `tune` for startTestApp: these keys enforced, as API_KEYS would configure them. */
export function withApiKeys(keys: readonly TestKey[] = Object.values(TEST_KEYS), extra: Partial<AppConfig['auth']> = {}) {
  return (config: AppConfig): AppConfig => ({
    ...config,
    auth: { keys: keys.map((k) => ({ name: k.name, role: k.role, sha256: sha256Of(k.key) })), openBecause: null, protectDocs: false, ...extra },
  });
}

export function bearer(key: TestKey): Record<string, string> {
  return { authorization: `Bearer ${key.key}` };
}

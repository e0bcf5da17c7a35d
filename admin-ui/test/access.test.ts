import { describe, expect, it } from 'vitest';
import { refusalFor } from '../src/auth/access';
import { requiredRole, roleAllows } from '../src/auth/roles';

describe('roles from the OpenAPI document', () => {
  it('knows what each operation the UI uses needs (x-required-role)', () => {
    expect(requiredRole('POST /ingest/csv')).toBe('write');
    expect(requiredRole('GET /ingestions')).toBe('read');
    expect(requiredRole('GET /metrics/hiring_by_quarter')).toBe('read');
  });

  it('orders the roles as the server does', () => {
    expect(roleAllows('admin', 'write')).toBe(true);
    expect(roleAllows('write', 'write')).toBe(true);
    expect(roleAllows('read', 'write')).toBe(false);
  });
});

describe('refusalFor', () => {
  const readOnly = { state: 'ready', withKey: true, keyName: 'dashboard', role: 'read' } as const;

  it('refuses an upload to a read-only key, naming the key and the role it needs', () => {
    const refusal = refusalFor(readOnly, 'POST /ingest/csv');
    expect(refusal).toContain('role write');
    expect(refusal).toContain('the key "dashboard" has the role read');
  });

  it('allows reads to a read-only key, and everything when the service runs without keys', () => {
    expect(refusalFor(readOnly, 'GET /ingestions')).toBeNull();
    expect(refusalFor({ state: 'ready', withKey: false, keyName: null, role: 'admin' }, 'POST /ingest/csv')).toBeNull();
  });
});

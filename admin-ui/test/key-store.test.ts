import { afterEach, describe, expect, it, vi } from 'vitest';
import { authHeaders, getApiKey, onApiKeyChange, setApiKey } from '../src/api/key-store';

afterEach(() => setApiKey(null));

describe('key store', () => {
  it('keeps the key in sessionStorage and sends it as a bearer token', () => {
    expect(authHeaders()).toEqual({});
    setApiKey('write-key-0123456789abcdef');
    expect(getApiKey()).toBe('write-key-0123456789abcdef');
    expect(Object.values(window.sessionStorage).join()).toContain('write-key-0123456789abcdef');
    expect(window.localStorage.length).toBe(0);
    expect(authHeaders()).toEqual({ Authorization: 'Bearer write-key-0123456789abcdef' });
  });

  it('forgets it, and tells listeners', () => {
    const listener = vi.fn();
    const off = onApiKeyChange(listener);
    setApiKey('k-0123456789abcdef');
    setApiKey(null);
    off();
    expect(listener).toHaveBeenCalledTimes(2);
    expect(getApiKey()).toBeNull();
    expect(window.sessionStorage.length).toBe(0);
  });
});

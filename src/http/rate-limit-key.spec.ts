import { sha256Of } from '../auth/api-key';
import { ApiKeyRegistry } from '../auth/api-key-registry';
import { AppConfig } from '../config/app-config';
import { isWrite, rateLimitKey } from './rate-limit-key';

const request = (headers: Record<string, string>, method = 'GET', ip = '203.0.113.9') => ({ headers, method, ip });

describe(rateLimitKey.name, () => {
  const secret = 'a-long-api-key-0123456789';
  const registry = new ApiKeyRegistry({ auth: { keys: [{ name: 'etl', role: 'write', sha256: sha256Of(secret) }] } } as unknown as AppConfig);
  const identify: Parameters<typeof rateLimitKey>[1] = (request) => registry.identifyRequest(request).key;

  it('counts a client without a key by its IP', () => {
    expect(rateLimitKey(request({}), identify)).toBe('ip:203.0.113.9');
  });

  it('counts a client with a valid key by the key\'s name, the same whichever header carries it', () => {
    expect(rateLimitKey(request({ authorization: `Bearer ${secret}` }), identify)).toBe('key:etl');
    expect(rateLimitKey(request({ 'x-api-key': secret }, 'GET', '10.0.0.1'), identify)).toBe('key:etl');
  });

  it('counts an invalid key by the IP: a made-up key per request gets no fresh counter', () => {
    expect(rateLimitKey(request({ authorization: 'Bearer made-up-0001' }), identify)).toBe('ip:203.0.113.9');
    expect(rateLimitKey(request({ authorization: 'Bearer made-up-0002' }), identify)).toBe('ip:203.0.113.9');
  });

  it('never puts the key itself in the counter name', () => {
    expect(rateLimitKey(request({ authorization: `Bearer ${secret}` }, 'POST'), identify)).not.toContain(secret);
  });

  it('counts writes apart', () => {
    expect(rateLimitKey(request({}, 'POST'), identify)).toBe('ip:203.0.113.9:write');
    expect(rateLimitKey(request({ 'x-api-key': secret }, 'DELETE'), identify)).toBe('key:etl:write');
  });

  it('falls back to the IP for an Authorization header that is not a bearer token', () => {
    expect(rateLimitKey(request({ authorization: 'Basic dXNlcjpwYXNz' }), identify)).toBe('ip:203.0.113.9');
  });
});

describe(isWrite.name, () => {
  it.each([
    ['GET', false],
    ['head', false],
    ['OPTIONS', false],
    ['POST', true],
    ['PUT', true],
    ['PATCH', true],
    ['DELETE', true],
  ])('%s → %p', (method, expected) => {
    expect(isWrite(method)).toBe(expected);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ApiKeyEntry, KEY_NAME, MIN_KEY_LENGTH, SHA256_HEX, isApiKeyRole, sha256Of, API_KEY_ROLES } from '../auth/api-key';

export interface AuthSources {
  /** `API_KEYS`: `name:role:key` entries, comma separated; the key may be given as `sha256:<hex>`. */
  readonly env?: string;
  /** A YAML file (relative to the working directory) with `keys: [{ name, role, sha256 }]`. */
  readonly file?: string;
}

/**
 * The configured API keys, hashed. Errors name the entry (its index and
 * name), never its secret: start-up messages end up in logs.
 */
export function loadApiKeys(sources: AuthSources, fail: (message: string) => Error): ApiKeyEntry[] {
  const keys = [...fromEnv(sources.env ?? '', fail), ...(sources.file ? fromFile(sources.file, fail) : [])];
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const key of keys) {
    if (names.has(key.name)) throw fail(`API key name "${key.name}" is used twice`);
    const hash = key.sha256.toString('hex');
    if (hashes.has(hash)) throw fail(`API key "${key.name}" has the same secret as another key`);
    names.add(key.name);
    hashes.add(hash);
  }
  return keys;
}

function fromEnv(text: string, fail: (message: string) => Error): ApiKeyEntry[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry, index) => {
      const [name, role, ...rest] = entry.split(':');
      const secret = rest.join(':');
      const where = `API_KEYS entry ${index + 1}${KEY_NAME.test(name) ? ` ("${name}")` : ''}`;
      if (rest.length === 0) throw fail(`${where} must be name:role:key`);
      const sha256 = secret.startsWith('sha256:') ? hashFromHex(secret.slice('sha256:'.length), where, fail) : hashOfSecret(secret, where, fail);
      return entryOf(name, role, sha256, where, fail);
    });
}

function fromFile(path: string, fail: (message: string) => Error): ApiKeyEntry[] {
  const where = `auth.keys_file ${path}`;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(resolve(path), 'utf8'));
  } catch (error) {
    throw fail(`${where}: cannot be read: ${(error as Error).message}`);
  }
  const list = (raw as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw fail(`${where}: expected "keys:" with a list of { name, role, sha256 }`);
  return list.map((item: unknown, index) => {
    const { name, role, sha256 } = (item ?? {}) as Record<string, unknown>;
    const at = `${where}: key ${index + 1}${typeof name === 'string' && KEY_NAME.test(name) ? ` ("${name}")` : ''}`;
    if (typeof sha256 !== 'string') throw fail(`${at} needs sha256: the hex SHA-256 of the key (never the key itself)`);
    return entryOf(name, role, hashFromHex(sha256, at, fail), at, fail);
  });
}

function entryOf(name: unknown, role: unknown, sha256: Buffer, where: string, fail: (message: string) => Error): ApiKeyEntry {
  if (typeof name !== 'string' || !KEY_NAME.test(name)) throw fail(`${where}: the name must be 1 to 64 letters, digits, ".", "_" or "-"`);
  if (!isApiKeyRole(role)) throw fail(`${where}: the role must be one of ${API_KEY_ROLES.join(', ')}`);
  return { name, role, sha256 };
}

function hashOfSecret(secret: string, where: string, fail: (message: string) => Error): Buffer {
  if (secret.length < MIN_KEY_LENGTH) throw fail(`${where}: the key must be at least ${MIN_KEY_LENGTH} characters`);
  return sha256Of(secret);
}

function hashFromHex(hex: string, where: string, fail: (message: string) => Error): Buffer {
  if (!SHA256_HEX.test(hex)) throw fail(`${where}: sha256 must be 64 hex digits`);
  return Buffer.from(hex, 'hex');
}

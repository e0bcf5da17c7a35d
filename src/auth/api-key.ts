import { createHash } from 'node:crypto';

/** What a key may do; each role includes the ones before it. */
export const API_KEY_ROLES = ['read', 'write', 'admin'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** A configured key: its name (recorded on what it does) and role; the secret only as its SHA-256. */
export interface ApiKeyEntry {
  readonly name: string;
  readonly role: ApiKeyRole;
  readonly sha256: Buffer;
}

/** The key a request was let in with; null when authentication is off. */
export interface ApiKeyIdentity {
  readonly name: string;
  readonly role: ApiKeyRole;
}

export const KEY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
export const SHA256_HEX = /^[0-9a-f]{64}$/i;
/** Shorter secrets are guessable: refused at start-up. */
export const MIN_KEY_LENGTH = 16;

export function sha256Of(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function roleAllows(held: ApiKeyRole, needed: ApiKeyRole): boolean {
  return API_KEY_ROLES.indexOf(held) >= API_KEY_ROLES.indexOf(needed);
}

export function isApiKeyRole(value: unknown): value is ApiKeyRole {
  return typeof value === 'string' && (API_KEY_ROLES as readonly string[]).includes(value);
}

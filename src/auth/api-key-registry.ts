import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiKeyEntry, ApiKeyIdentity, sha256Of } from './api-key';
import { presentedKey } from './presented-key';

/** What a request shows of a key: whether it sent one, and whose it is (null: none, or not a configured key). */
export interface PresentedIdentity {
  readonly presented: boolean;
  readonly key: ApiKeyIdentity | null;
}

/**
 * The configured keys, held as SHA-256 hashes. A presented key is hashed and
 * compared with every entry in constant time, without stopping at a match, so
 * the time taken tells nothing about which key (or how much of one) matched.
 */
@Injectable()
export class ApiKeyRegistry {
  private readonly keys: readonly ApiKeyEntry[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keys = config.auth.keys;
  }

  /** Whether requests must carry a key. */
  get enforced(): boolean {
    return this.keys.length > 0;
  }

  /** The key a request carries (Authorization: Bearer, else X-API-Key), identified. */
  identifyRequest(request: Pick<FastifyRequest, 'headers'>): PresentedIdentity {
    const presented = presentedKey(request);
    return { presented: presented !== null, key: presented === null ? null : this.identify(presented) };
  }

  identify(presented: string): ApiKeyIdentity | null {
    const hash = sha256Of(presented);
    let found: ApiKeyEntry | null = null;
    for (const key of this.keys) {
      if (timingSafeEqual(hash, key.sha256) && found === null) found = key;
    }
    return found && { name: found.name, role: found.role };
  }
}

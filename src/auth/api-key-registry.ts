import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiKeyEntry, ApiKeyIdentity, sha256Of } from './api-key';

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

  identify(presented: string): ApiKeyIdentity | null {
    const hash = sha256Of(presented);
    let found: ApiKeyEntry | null = null;
    for (const key of this.keys) {
      if (timingSafeEqual(hash, key.sha256) && found === null) found = key;
    }
    return found && { name: found.name, role: found.role };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, LessThan, Repository } from 'typeorm';
import { IdempotencyKey } from './idempotency-key.entity';

export interface StoredAnswer {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: unknown;
  readonly expiresAt: string;
}

/** The SQL of idempotency keys. Every change names the claim it expects, so a key changes hands only once. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(@InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>) {}

  async purgeExpired(now: string): Promise<void> {
    await this.keys.delete({ status: 'completed', expiresAt: LessThan(now) });
  }

  /** Inserts the key unless it exists (the primary key decides a race), then answers the row as it stands. */
  async claim(row: Pick<IdempotencyKey, 'key' | 'route' | 'fingerprint' | 'claim' | 'instanceId' | 'createdAt' | 'heartbeatAt'>): Promise<IdempotencyKey> {
    await this.keys
      .createQueryBuilder()
      .insert()
      .into(IdempotencyKey)
      .values({ ...row, status: 'in_progress', ingestionId: null, responseStatus: null, responseBody: null, expiresAt: null })
      .orIgnore()
      .execute();
    return this.keys.findOneByOrFail({ key: row.key });
  }

  find(key: string): Promise<IdempotencyKey | null> {
    return this.keys.findOneBy({ key });
  }

  async beat(key: string, claim: string, now: string): Promise<void> {
    await this.keys.update({ key, claim, status: 'in_progress' }, { heartbeatAt: now });
  }

  async complete(key: string, claim: string, answer: StoredAnswer): Promise<void> {
    await this.keys.update(
      { key, claim, status: 'in_progress' },
      {
        status: 'completed',
        fingerprint: answer.fingerprint,
        responseStatus: answer.status,
        responseBody: JSON.stringify(answer.body),
        expiresAt: answer.expiresAt,
      },
    );
  }

  /** The request failed in a way worth retrying: the key is free again. */
  async release(key: string, claim: string): Promise<void> {
    await this.keys.delete({ key, claim, status: 'in_progress' });
  }

  /** Takes over the key of a holder that stopped beating; false when another request got there first. */
  async takeOver(stale: IdempotencyKey, claim: string, instanceId: string, now: string): Promise<boolean> {
    const result = await this.keys.update(
      { key: stale.key, claim: stale.claim, status: 'in_progress' },
      { claim, instanceId, heartbeatAt: now },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Inside the transaction that commits the ingestion's rows. */
  async attachIngestion(manager: EntityManager, key: string, claim: string, ingestionId: number): Promise<void> {
    await manager.update(IdempotencyKey, { key, claim }, { ingestionId });
  }
}

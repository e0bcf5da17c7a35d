import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiProblem } from '../common/api-problem';
import { toProblem } from '../common/to-problem';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { IdempotencyKey } from './idempotency-key.entity';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import { RequestContent } from './request-content';

/** The request that holds a key: what the load passes on, to link the key to its ingestion when it commits. */
export interface KeyClaim {
  readonly key: string;
  readonly claim: string;
}

export interface IdempotentRequest {
  readonly key: string;
  /** `POST /employees/upload` */
  readonly route: string;
  readonly content: RequestContent;
  /** What problem details carry besides the problem: kept so a replayed error is the same body. */
  readonly instance: string;
  readonly requestId: string;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** True when the answer is the stored one of an earlier request with this key. */
  readonly replayed: boolean;
}

const POLL_MS = 200;
/** A request waiting for the holder of its key gives up after this long (the holder's upload may be huge). */
const MAX_WAIT_MS = 15 * 60_000;
/** Answers a client gets again when it retries: their request was decided. 408, 409 and 429 are worth retrying. */
const isFinal = (status: number): boolean => status < 500 && ![408, 409, 429].includes(status);

/**
 * Idempotency-Key: the first request with a key claims it (a row whose primary
 * key decides any race, on every instance sharing the database), runs, and
 * stores its answer; a later request with the key and the same content gets
 * that answer again, one with other content a 409. A request that arrives
 * while the key is held waits for the answer. A holder that stopped beating
 * (its instance died) loses the key: to the committed load it left, if any,
 * else to the request that finds it.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);
  /** Claims this process holds: never stale, whatever their heartbeat says. */
  private readonly held = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: IdempotencyKeysRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Answers `request` once per key: runs `work` when this request gets the
   * key; `recover` rebuilds the answer of a load that committed for a holder
   * that died before storing it.
   */
  async handle(
    request: IdempotentRequest,
    work: (claim: KeyClaim) => Promise<{ status: number; body: unknown }>,
    recover: (ingestionId: number) => Promise<{ status: number; body: unknown }>,
  ): Promise<Answer> {
    const claim = randomUUID();
    const waitUntil = Date.now() + MAX_WAIT_MS;
    let row = await this.claim(request, claim);
    while (row.claim !== claim) {
      if (row.status === 'completed') return this.replay(row, request);
      if (this.isStale(row) && (await this.db(() => this.keys.takeOver(row, claim, this.config.jobs.instanceId, now())))) {
        if (row.ingestionId !== null) return this.completeRecovered(request, claim, await recover(row.ingestionId));
        break;
      }
      if (Date.now() > waitUntil) {
        throw new ApiProblem(409, 'idempotency_key_in_use', `a request with this Idempotency-Key is still running after ${MAX_WAIT_MS / 60_000} minutes; retry later`);
      }
      await sleep(POLL_MS);
      // Gone: its holder failed in a way worth retrying and let it go.
      row = (await this.db(() => this.keys.find(request.key))) ?? (await this.claim(request, claim));
    }
    return this.runHolding(request, claim, work);
  }

  private async runHolding(
    request: IdempotentRequest,
    claim: string,
    work: (claim: KeyClaim) => Promise<{ status: number; body: unknown }>,
  ): Promise<Answer> {
    this.held.add(claim);
    const beat = setInterval(
      () => void this.db(() => this.keys.beat(request.key, claim, now())).catch(() => undefined),
      this.config.jobs.heartbeatMs,
    );
    beat.unref();
    try {
      let answer: { status: number; body: unknown };
      try {
        answer = await work({ key: request.key, claim });
      } catch (error) {
        const { status, body } = toProblem(error);
        const fingerprint = request.content.fingerprint();
        // Only a request read to its end can be told apart from another one; the rest fail the same way again, writing nothing.
        if (fingerprint !== null && isFinal(status)) {
          await this.store(request, claim, fingerprint, status, { ...body, instance: request.instance, request_id: request.requestId });
        } else {
          await this.db(() => this.keys.release(request.key, claim)).catch((failure: unknown) => this.logger.warn({ msg: 'could not release an idempotency key', err: failure }));
        }
        throw error;
      }
      const fingerprint = request.content.fingerprint() ?? (await request.content.drain());
      await this.store(request, claim, fingerprint, answer.status, answer.body);
      return { ...answer, replayed: false };
    } finally {
      clearInterval(beat);
      this.held.delete(claim);
    }
  }

  private async replay(row: IdempotencyKey, request: IdempotentRequest): Promise<Answer> {
    if (row.route !== request.route) {
      // Not naming the route: it may hold another client's key name.
      throw new ApiProblem(409, 'idempotency_key_reused', 'this Idempotency-Key was used on another endpoint or with another API key; send a new key for each request');
    }
    const fingerprint = await request.content.drain();
    if (fingerprint !== row.fingerprint) {
      throw new ApiProblem(
        409,
        'idempotency_key_reused',
        'this Idempotency-Key was used with different content or options; send a new key for a different request',
      );
    }
    return { status: row.responseStatus as number, body: JSON.parse(row.responseBody as string) as unknown, replayed: true };
  }

  private async completeRecovered(request: IdempotentRequest, claim: string, answer: { status: number; body: unknown }): Promise<Answer> {
    // What the dead holder sent is unknown: the load it committed answers for this request's content from now on.
    await this.store(request, claim, await request.content.drain(), answer.status, answer.body);
    return { ...answer, replayed: true };
  }

  private async store(request: IdempotentRequest, claim: string, fingerprint: string, status: number, body: unknown): Promise<void> {
    const expiresAt = new Date(Date.now() + this.config.ingest.idempotencyKeyRetentionMs).toISOString();
    try {
      await this.db(() => this.keys.complete(request.key, claim, { fingerprint, status, body, expiresAt }));
    } catch (error) {
      // The answer still goes out; a retry finds the key held by a dead claim and recovers the committed load.
      this.logger.error({ msg: 'could not store the answer of an idempotency key', key: request.key, err: error });
    }
  }

  private claim(request: IdempotentRequest, claim: string): Promise<IdempotencyKey> {
    const at = now();
    return this.db(async () => {
      await this.keys.purgeExpired(at);
      return this.keys.claim({
        key: request.key,
        route: request.route,
        fingerprint: null,
        claim,
        instanceId: this.config.jobs.instanceId,
        createdAt: at,
        heartbeatAt: at,
      });
    });
  }

  private isStale(row: IdempotencyKey): boolean {
    return !this.held.has(row.claim) && Date.parse(row.heartbeatAt) < Date.now() - this.config.jobs.staleAfterMs;
  }

  /** On SQLite, outside any load's transaction on the one connection. */
  private db<T>(work: () => Promise<T>): Promise<T> {
    return this.transactions.exclusive(work);
  }
}

function now(): string {
  return new Date().toISOString();
}

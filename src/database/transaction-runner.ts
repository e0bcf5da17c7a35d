import { Injectable } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';

/**
 * Runs units of work in one transaction each. SQLite has a single connection
 * that every query shares, so there units of work are also serialised: one
 * upload's transaction must not swallow another's statements.
 */
@Injectable()
export class TransactionRunner {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  /** Serialises `work` with other exclusive work on SQLite; runs it at once on PostgreSQL. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres') return work();
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * On PostgreSQL, cancels the statement `queryRunner` is running when
   * `signal` aborts: a load stopped at shutdown may be waiting on a lock or a
   * long foreign-key check, and must fail now, not when that ends. Returns
   * the function that stops listening.
   */
  async cancelOnAbort(queryRunner: QueryRunner, signal: AbortSignal): Promise<() => void> {
    if (this.dataSource.options.type !== 'postgres') return () => undefined;
    // node-postgres keeps the backend's pid from the connection handshake (untyped in @types/pg): no round trip.
    const { processID: pid } = (await queryRunner.connect()) as { processID: number };
    // From another pooled connection: the load's own is busy with the statement to cancel.
    const cancel = (): void => void this.dataSource.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
    signal.addEventListener('abort', cancel, { once: true });
    return () => signal.removeEventListener('abort', cancel);
  }

  /** Commits when `work` resolves, rolls back when it throws. */
  async inTransaction<T>(work: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    await queryRunner.startTransaction();
    try {
      const result = await work(queryRunner);
      await queryRunner.commitTransaction();
      return result;
    } catch (error) {
      // A rollback on a dead connection fails too; the server has rolled back already, and the first error is the one to report.
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await queryRunner.release();
    }
  }
}

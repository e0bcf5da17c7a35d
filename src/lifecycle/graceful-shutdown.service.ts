import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { IngestJobs } from '../ingest/ingest-jobs.service';
import { IngestPipeline } from '../ingest/ingest-pipeline.service';
import { IngestionInterrupted } from '../ingest/ingestion-interrupted';
import { InFlightRequests } from './in-flight-requests';

/** After the grace period: how long stopped ingestions get to roll back and answer before connections are cut. */
export const ROLLBACK_WAIT_MS = 10_000;
const POLL_MS = 50;

/**
 * The first step of app.close() (SIGTERM in main.ts): stop accepting
 * connections, let in-flight requests and background jobs finish within
 * server.shutdown_grace_ms, then stop the ingestions still running (each rolls
 * back and is recorded interrupted; a synchronous upload answers 503) and cut
 * the remaining connections. Nest then closes the HTTP adapter and the
 * database pool.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger(GracefulShutdown.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly requests: InFlightRequests,
    private readonly pipeline: IngestPipeline,
    private readonly jobs: IngestJobs,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const server = this.adapterHost.httpAdapter.getInstance<FastifyInstance>().server;
    const graceMs = this.config.server.shutdownGraceMs;
    this.requests.startDraining();
    this.jobs.refuseNew();
    // No new connections; idle kept-alive ones are closed now, busy ones after their answer.
    if (server.listening) server.close();
    const drained = (): boolean => this.requests.size === 0 && this.jobs.size === 0;
    if (!drained()) {
      this.logger.log({ msg: 'stopping: waiting for in-flight work', signal, requests: this.requests.size, jobs: this.jobs.size, grace_ms: graceMs });
    }
    if (!(await waitUntil(drained, graceMs))) {
      this.logger.warn({ msg: 'grace period over: stopping running ingestions', requests: this.requests.size, jobs: this.jobs.size });
      const reason = new IngestionInterrupted(
        'the service stopped before this ingestion ended; it was rolled back, nothing was written. Upload the file again.',
      );
      this.pipeline.stopAll(reason);
      // Bounded: a rollback that cannot finish (a database gone silent) must not keep the process from leaving.
      const stopped = this.jobs.stopAll(reason).then(() => true);
      const deadline = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ROLLBACK_WAIT_MS).unref());
      const requestsDone = waitUntil(() => this.requests.size === 0, ROLLBACK_WAIT_MS);
      const [jobsDone] = await Promise.all([Promise.race([stopped, deadline]), requestsDone]);
      if (!jobsDone) this.logger.error({ msg: 'background jobs did not stop in time; leaving anyway', jobs: this.jobs.size });
    }
    // Whatever is still open (a slow client, a kept-alive connection) is cut: the process is leaving.
    server.closeAllConnections();
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
  return true;
}

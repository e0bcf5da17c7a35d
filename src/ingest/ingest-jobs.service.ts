import { Injectable, Logger } from '@nestjs/common';
import { ApiProblem } from '../common/api-problem';
import { toProblem } from '../common/to-problem';
import { Ingestion } from './entities/ingestion.entity';
import { IngestionHeartbeat } from './ingestion-heartbeat.service';
import { IngestionInterrupted } from './ingestion-interrupted';

/** A background ingestion: starts the load, and stops it when asked (the service is stopping). */
export interface BackgroundLoad {
  run(): Promise<unknown>;
  /** Makes run() fail soon with the given error, rolling the load back. */
  stop(reason: IngestionInterrupted): void;
  /** Runs once the load has ended, whatever the outcome (e.g. removes the spooled file). */
  cleanUp(): Promise<void>;
}

/**
 * Runs ingestions accepted with async=true after their 202 has been sent.
 * The outcome goes to the ingestion record, never to a caller. The graceful
 * shutdown refuses new jobs at once, lets running ones finish within its
 * grace period, then stops the rest (rolled back, recorded "interrupted").
 */
@Injectable()
export class IngestJobs {
  private readonly logger = new Logger(IngestJobs.name);
  private readonly running = new Map<number, { load: BackgroundLoad; done: Promise<void> }>();
  private accepting = true;
  private stopReason: IngestionInterrupted | null = null;

  constructor(private readonly heartbeat: IngestionHeartbeat) {}

  start(ingestion: Ingestion, load: BackgroundLoad): void {
    // Queued jobs beat too, so a long wait for its turn does not look like a dead instance.
    const untrack = this.heartbeat.track(ingestion.id, () => null);
    const done = load
      .run()
      .then(
        () => undefined,
        (error: unknown) => {
          const problem = toProblem(error);
          // Client errors are in the ingestion record; only the unexpected deserve the log.
          if (problem.unexpected) this.logger.error({ msg: 'background ingestion failed', ingestion: ingestion.id, err: error });
        },
      )
      .finally(async () => {
        untrack();
        this.running.delete(ingestion.id);
        await load.cleanUp().catch((error: unknown) => this.logger.warn({ msg: 'cleanup failed', ingestion: ingestion.id, err: error }));
      });
    this.running.set(ingestion.id, { load, done });
    // Accepted while the service was stopping: it ends at once, rolled back and recorded interrupted.
    if (this.stopReason) load.stop(this.stopReason);
  }

  /** Once the service is stopping, new background work is refused (503) rather than cut off. */
  assertAccepting(): void {
    if (!this.accepting) {
      throw new ApiProblem(503, 'shutting_down', 'the service is stopping and takes no new background uploads; send it again (to another instance)');
    }
  }

  /** How many background ingestions this instance is running or holding queued. */
  get size(): number {
    return this.running.size;
  }

  /** The service is stopping: new background uploads get 503, running ones go on. */
  refuseNew(): void {
    this.accepting = false;
  }

  /** Stops every job, running or queued, and waits until each has rolled back and been recorded. */
  async stopAll(reason: IngestionInterrupted): Promise<void> {
    this.refuseNew();
    this.stopReason = reason;
    // Jobs accepted while earlier ones wind down are stopped too (see start), so wait until none is left.
    while (this.running.size > 0) {
      const jobs = [...this.running.values()];
      for (const { load } of jobs) load.stop(reason);
      await Promise.all(jobs.map((job) => job.done));
    }
  }
}

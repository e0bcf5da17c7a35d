import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { IngestJobs } from './ingest-jobs.service';
import { TooManyIngestions } from './too-many-ingestions';

/**
 * Caps the ingestions an instance holds at once, running or waiting for their
 * turn (loads queue on the pipeline's semaphore, and on SQLite run one at a
 * time). Each one waiting holds an open request and, when async, a spooled
 * file on disk: past ingest.max_pending_loads a new one is refused with 429
 * and Retry-After before an upload's body is read, instead of queueing
 * without end.
 * Background jobs count for as long as they are queued or running.
 */
@Injectable()
export class IngestionAdmission {
  private requests = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: IngestJobs,
  ) {}

  /**
   * Runs one ingestion request if there is room, or throws TooManyIngestions.
   * One accepted with async=true counts twice while it hands over to its
   * background job, which errs on the side of refusing.
   */
  async admit<T>(work: () => Promise<T>): Promise<T> {
    const { maxPendingLoads, retryAfterSeconds } = this.config.ingest;
    if (this.requests + this.jobs.size >= maxPendingLoads) throw new TooManyIngestions(maxPendingLoads, retryAfterSeconds);
    this.requests++;
    try {
      return await work();
    } finally {
      this.requests--;
    }
  }
}

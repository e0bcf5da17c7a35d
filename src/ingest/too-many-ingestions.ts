import { ApiProblem } from '../common/api-problem';

/** Every place for an ingestion is taken (see IngestionAdmission): 429, to come back after Retry-After. */
export class TooManyIngestions extends ApiProblem {
  constructor(maxPending: number, retryAfterSeconds: number) {
    super(
      429,
      'too_many_ingestions',
      `${maxPending} ingestions are already running or waiting on this instance, the limit (ingest.max_pending_loads); ` +
        `nothing was read or written: send it again in ${retryAfterSeconds} s`,
      { max_pending_loads: maxPending },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}

import { ApiProblem } from '../common/api-problem';

/**
 * The ingestion stopped before it could commit: its service instance is
 * shutting down, or another instance marked it interrupted after its heartbeat
 * went stale. Nothing of it is committed; its record ends "interrupted".
 */
export class IngestionInterrupted extends ApiProblem {
  constructor(detail: string) {
    super(503, 'ingestion_interrupted', detail);
  }
}

import { RowError } from '../../common/row-error';
import { RejectToKeep } from '../ingestions.repository';
import { IngestCounts } from './pipeline.types';

/** Counts and kept rejects of one ingestion while it runs. */
export class IngestRun {
  readonly counts: IngestCounts = { rowsRead: 0, inserted: 0, updated: 0, skipped: 0, rejected: 0 };
  readonly kept: RejectToKeep[] = [];
  errorsTruncated = false;

  constructor(private readonly maxKept: number) {}

  reject(errors: readonly RowError[], raw: unknown): void {
    this.counts.rejected++;
    for (const error of errors) {
      if (this.kept.length < this.maxKept) this.kept.push({ error, raw });
      else this.errorsTruncated = true;
    }
  }

  /** After a rollback nothing was written, whatever the chunks did. */
  discardWrites(): void {
    this.counts.inserted = 0;
    this.counts.updated = 0;
    this.counts.skipped = 0;
  }

  sortedErrors(): RowError[] {
    const at = (e: RowError): number => e.line ?? e.row ?? 0;
    return this.kept.map((k) => k.error).sort((a, b) => at(a) - at(b));
  }
}

import { RowError } from '../../common/row-error';
import { RejectToKeep } from '../ingestions.repository';
import { IngestCounts } from './pipeline.types';

/** Counts and kept rejects of one ingestion while it runs. */
export const STAGES = ['read', 'check', 'resolve', 'write', 'commit'] as const;
export type Stage = (typeof STAGES)[number];

export class IngestRun {
  readonly counts: IngestCounts = { rowsRead: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, duplicateInFile: 0, rejected: 0 };
  /** Milliseconds spent per pipeline stage: where the time of an upload goes. */
  readonly timings: Record<Stage, number> = { read: 0, check: 0, resolve: 0, write: 0, commit: 0 };
  readonly kept: RejectToKeep[] = [];
  /** Rows handed to the writer so far. */
  written = 0;
  errorsTruncated = false;

  /** Where the error budget ran out: the first rejected row past it. */
  overBudgetAt: RowError | null = null;

  constructor(
    private readonly maxKept: number,
    private readonly maxErrors: number | null = null,
  ) {}

  reject(errors: readonly RowError[], raw: unknown): void {
    // Once over budget the ingestion stops: rows after the one that broke it are not counted.
    if (this.overBudgetAt) return;
    this.counts.rejected++;
    if (this.maxErrors !== null && this.counts.rejected > this.maxErrors) {
      // Past the budget: the report keeps the first maxErrors rows, this one only says where it stopped.
      this.overBudgetAt ??= errors[0] ?? null;
      return;
    }
    for (const error of errors) {
      if (this.kept.length < this.maxKept) this.kept.push({ error, raw });
      else this.errorsTruncated = true;
    }
  }

  async timed<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.timings[stage] += performance.now() - started;
    }
  }

  roundedTimings(): Record<Stage, number> {
    return Object.fromEntries(STAGES.map((stage) => [stage, Math.round(this.timings[stage])])) as Record<Stage, number>;
  }

  /** After a rollback nothing was written, whatever the chunks did. */
  discardWrites(): void {
    this.counts.inserted = 0;
    this.counts.updated = 0;
    this.counts.unchanged = 0;
    this.counts.skipped = 0;
    this.counts.duplicateInFile = 0;
    this.written = 0;
  }

  sortedErrors(): RowError[] {
    const at = (e: RowError): number => e.line ?? e.row ?? 0;
    return this.kept.map((k) => k.error).sort((a, b) => at(a) - at(b));
  }
}

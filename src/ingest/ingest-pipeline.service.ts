import { Inject, Injectable, Logger } from '@nestjs/common';
import { QueryRunner } from 'typeorm';
import { ApiProblem } from '../common/api-problem';
import { Semaphore } from '../common/semaphore';
import { toProblem } from '../common/to-problem';
import { RowError } from '../common/row-error';
import { TABLE_SPECS, TableSpec } from '../common/tables';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { IngestionReportDto, IngestionDto } from './dto/ingestion.dto';
import { Ingestion, IngestionFailure, IngestionStatus } from './entities/ingestion.entity';
import { IngestionHeartbeat } from './ingestion-heartbeat.service';
import { ErrorBudgetExceeded } from './error-budget-exceeded';
import { TooManyRows } from './too-many-rows';
import { IngestionInterrupted } from './ingestion-interrupted';
import { IngestLookupRepository } from './ingest-lookup.repository';
import { IngestionsRepository } from './ingestions.repository';
import { ChunkResolver } from './pipeline/chunk-resolver';
import { IngestRun } from './pipeline/ingest-run';
import { CheckedRow, IngestProgress, IngestRequest, RowSource, SourceDescription, SourceRow } from './pipeline/pipeline.types';
import { compileRowChecker } from './pipeline/row-checker';
import { UploadIds } from './pipeline/upload-ids';
import { createRowWriter } from './writers/create-row-writer';
import { asIngestProblem } from './ingest-problem';
import { IdempotencyKeysRepository } from '../idempotency/idempotency-keys.repository';

const ROLLBACK = Symbol('rollback');
/** A dry run got to the point of committing: it rolls back instead, keeping its counts. */
const DRY_RUN = Symbol('dry run');

/**
 * The ingest pipeline, the same for CSV and JSON: read rows from the source
 * (parse + map headers) → type-check each row → resolve each chunk against the
 * database → write it → record the ingestion. One transaction per ingestion;
 * on_error=abort rolls it back when any row was rejected.
 */
@Injectable()
export class IngestPipeline {
  private readonly logger = new Logger(IngestPipeline.name);
  /** Each load holds a database connection for its whole run: too many would starve reads and heartbeats. */
  private readonly loads: Semaphore;
  /** One per running ingestion: aborting it rolls the ingestion back (see stopAll). */
  private readonly running = new Set<AbortController>();
  private stopReason: IngestionInterrupted | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly lookups: IngestLookupRepository,
    private readonly ingestions: IngestionsRepository,
    private readonly heartbeat: IngestionHeartbeat,
    private readonly idempotencyKeys: IdempotencyKeysRepository,
  ) {
    this.loads = new Semaphore(config.ingest.maxConcurrentLoads);
  }

  /**
   * Runs an ingestion and answers its report. `queued` is the record of a
   * background job (see enqueue); otherwise the record is created here.
   */
  run(request: IngestRequest, source: RowSource, queued?: Ingestion): Promise<IngestionReportDto> {
    return this.loads.run(() => this.transactions.exclusive(() => this.runExclusive(request, source, queued)));
  }

  /**
   * Records a background ingestion as queued, before its rows are read. On
   * SQLite this waits for a running ingestion to end: its transaction holds
   * the one connection, and a record written inside it would vanish with it.
   */
  enqueue(request: IngestRequest, bytesTotal: number): Promise<Ingestion> {
    return this.transactions.exclusive(() =>
      this.ingestions.start(request, { status: 'queued', instanceId: this.heartbeat.instanceId, isAsync: true, bytesTotal }),
    );
  }

  /**
   * The service is stopping and its grace period is over: every running
   * ingestion stops at its next batch (or at once, when it waits for input),
   * rolls back and is recorded interrupted; those that start later stop at once.
   */
  stopAll(reason: IngestionInterrupted): void {
    this.stopReason = reason;
    for (const controller of this.running) controller.abort(reason);
  }

  private async runExclusive(request: IngestRequest, source: RowSource, queued?: Ingestion): Promise<IngestionReportDto> {
    const ingestion = queued
      ? await this.ingestions.markRunning(queued)
      : await this.ingestions.start(request, { status: 'running', instanceId: this.heartbeat.instanceId, isAsync: false, bytesTotal: null });
    const controller = new AbortController();
    const { signal } = controller;
    signal.addEventListener('abort', () => source.stop?.(signal.reason as Error), { once: true });
    this.running.add(controller);
    if (this.stopReason) controller.abort(this.stopReason);
    const run = new IngestRun(this.config.ingest.maxRejectsKept, request.maxErrors);
    const progress = (): IngestProgress => ({
      rowsRead: run.counts.rowsRead,
      rejected: run.counts.rejected,
      rowsWritten: run.written,
      bytesRead: source.describe().bytes ?? 0,
    });
    const untrack = this.heartbeat.track(ingestion.id, progress);
    let failure: unknown = null;
    let loaded = 0;
    try {
      await this.transactions.inTransaction(async (queryRunner) => {
        const stopCancelling = await this.transactions.cancelOnAbort(queryRunner, signal);
        try {
          await this.load(queryRunner, request, source, run, signal);
        } finally {
          stopCancelling();
        }
        loaded = performance.now();
        if (abortsOnRejects(request, run)) throw ROLLBACK;
        signal.throwIfAborted();
        if (request.dryRun) throw DRY_RUN;
        if (!(await this.ingestions.claimForCommit(queryRunner.manager, ingestion.id, this.heartbeat.instanceId))) {
          throw new IngestionInterrupted(
            'another instance marked this ingestion interrupted (its heartbeat had gone stale); it was rolled back, nothing was written',
          );
        }
        if (request.idempotency) {
          const { key, claim } = request.idempotency;
          await this.idempotencyKeys.attachIngestion(queryRunner.manager, key, claim, ingestion.id);
        }
      });
      run.timings.commit += performance.now() - loaded;
    } catch (error) {
      // Once stopped, whatever broke on the way out (a destroyed upload, a closed stream) is because of the stop.
      if (error !== ROLLBACK && error !== DRY_RUN) failure = signal.aborted ? signal.reason : asIngestProblem(error);
    } finally {
      untrack();
      this.running.delete(controller);
    }
    const aborted = failure === null && abortsOnRejects(request, run);
    const rolledBack = failure !== null || aborted;
    if (rolledBack) run.discardWrites();
    const { sha256, header_line, ...described } = source.describe();
    const detected: SourceDescription = request.tableInferredFrom ? { ...described, table_inferred_from: request.tableInferredFrom } : described;
    const timings = run.roundedTimings();
    const saved = await this.ingestions.finish(
      ingestion,
      {
        status: statusOf(failure, rolledBack, run),
        counts: run.counts,
        progress: { ...progress(), rowsWritten: run.counts.inserted + run.counts.updated },
        detail: failure !== null ? describeFailure(failure, request) : aborted ? abortDetail(run) : null,
        failure: failure !== null ? failureOf(failure) : aborted ? { status: 422, code: 'rows_rejected' } : null,
        detected,
        timings,
        sha256: sha256 ?? null,
        headerLine: header_line ?? null,
      },
      run.kept,
    );
    const report: IngestionReportDto = { ...IngestionDto.from(saved), errors: run.sortedErrors(), errors_truncated: run.errorsTruncated };
    this.logger.log({
      msg: 'ingestion finished',
      ingestion: { id: report.id, table: report.table, source: report.source, mode: report.mode, status: report.status, async: report.async },
      counts: run.counts,
      duration_ms: report.duration_ms,
      timings_ms: timings,
    });
    // Rows were rejected (on_error=abort, or past the error budget): the answer lists them, with the report.
    const rowsAndReport = { ingestion_id: report.id, errors: report.errors, report };
    if (failure instanceof ErrorBudgetExceeded) throw new ApiProblem(failure.status, failure.code, failure.detail, { ...failure.extensions, ...rowsAndReport });
    if (failure instanceof ApiProblem) {
      throw new ApiProblem(failure.status, failure.code, failure.detail, { ...failure.extensions, ingestion_id: report.id });
    }
    if (failure !== null) throw failure;
    if (aborted) throw new ApiProblem(422, 'rows_rejected', report.detail as string, rowsAndReport);
    return report;
  }

  private hasReference(spec: TableSpec, values: readonly unknown[]): boolean {
    return spec.columns.some((column, i) => column.kind === 'reference' && typeof values[i] === 'number');
  }

  private async load(queryRunner: QueryRunner, request: IngestRequest, source: RowSource, run: IngestRun, signal: AbortSignal): Promise<void> {
    // Outside the garbage collector's reach (WebAssembly memory): freed however the load ends.
    const uploadIds = new UploadIds();
    try {
      await this.loadRows(queryRunner, request, source, run, signal, uploadIds);
    } finally {
      uploadIds.dispose();
    }
  }

  private async loadRows(
    queryRunner: QueryRunner,
    request: IngestRequest,
    source: RowSource,
    run: IngestRun,
    signal: AbortSignal,
    uploadIds: UploadIds,
  ): Promise<void> {
    const spec = TABLE_SPECS[request.table];
    const check = compileRowChecker(spec);
    const writer = await createRowWriter(queryRunner, spec.name);
    const resolver = new ChunkResolver(this.lookups, queryRunner, spec, request.mode, uploadIds, writer.countsUpserts, () => writer.settle());
    let chunk: CheckedRow[] = [];
    // Rows that failed their type checks wait for the chunk's lookups, so their foreign keys are reported too.
    let failed: { source: SourceRow; errors: RowError[]; values: readonly unknown[] }[] = [];
    // A chunk's rejected rows, from the type checks and from the lookups, reported together in file order.
    let rejected: { at: number; errors: RowError[]; raw: unknown }[] = [];
    const rejectFailed = async (): Promise<void> => {
      if (failed.some((row) => this.hasReference(spec, row.values))) {
        const rows = failed.map((row) => ({ position: row.source.position, values: row.values }));
        const extra = await run.timed('resolve', () => resolver.referenceErrors(rows));
        failed.forEach((row, i) => row.errors.push(...extra[i]));
      }
      for (const row of failed) rejected.push({ at: row.source.position.at, errors: row.errors, raw: row.source.raw });
      failed = [];
    };
    const resolveAndWrite = async (): Promise<void> => {
      const outcome = await run.timed('resolve', () => resolver.resolve(chunk));
      for (const { row, errors } of outcome.rejected) rejected.push({ at: row.position.at, errors, raw: row.raw });
      run.counts.inserted += outcome.inserted;
      run.counts.updated += outcome.updated;
      run.counts.skipped += outcome.skipped;
      run.counts.duplicateInFile += outcome.duplicateInFile;
      if (outcome.writes.length > 0) {
        await run.timed('write', () => (request.mode === 'upsert' ? writer.upsert(outcome.writes) : writer.insert(outcome.writes)));
        run.written += outcome.writes.length;
      }
      chunk = [];
    };
    const flush = async (): Promise<void> => {
      await rejectFailed();
      if (chunk.length > 0) await resolveAndWrite();
      // In file order, whichever stage found them: the error budget counts rows as they come in the file.
      rejected.sort((a, b) => a.at - b.at);
      for (const row of rejected) run.reject(row.errors, row.raw);
      rejected = [];
      if (run.overBudgetAt) throw new ErrorBudgetExceeded(request.maxErrors ?? 0, run.overBudgetAt);
    };
    try {
      signal.throwIfAborted();
      // Time waiting for the next batch of rows is "read": network, UTF-8 check, framing and parsing.
      let waitingSince = performance.now();
      for await (const batch of source.rows()) {
        signal.throwIfAborted();
        let checking = performance.now();
        run.timings.read += checking - waitingSince;
        for (const sourceRow of batch) {
          if (run.counts.rowsRead >= this.config.ingest.maxRowsPerFile) throw new TooManyRows(this.config.ingest.maxRowsPerFile);
          run.counts.rowsRead++;
          const result = check(sourceRow);
          if (result.ok) chunk.push(result.row);
          else failed.push({ source: sourceRow, errors: result.errors, values: result.values });
          if (chunk.length + failed.length >= this.config.ingest.chunkRows) {
            run.timings.check += performance.now() - checking;
            signal.throwIfAborted();
            await flush();
            checking = performance.now();
          }
        }
        run.timings.check += performance.now() - checking;
        waitingSince = performance.now();
      }
      if (chunk.length > 0 || failed.length > 0) await flush();
    } catch (error) {
      // A failed write aborts the transaction and the next statement fails for that reason: report the cause.
      throw (await writer.abort()) ?? error;
    }
    await run.timed('write', () => writer.finish());
    const upserts = writer.upsertCounts();
    run.counts.inserted += upserts.inserted;
    // Unchanged rows were counted as updated (by the writer or by the lookups): move them.
    run.counts.updated += upserts.updated - upserts.unchanged;
    run.counts.unchanged += upserts.unchanged;
  }
}

/** on_error=abort and a row was rejected: the whole ingestion rolls back. */
function abortsOnRejects(request: IngestRequest, run: IngestRun): boolean {
  return run.counts.rejected > 0 && request.onError === 'abort';
}

function abortDetail(run: IngestRun): string {
  const n = run.counts.rejected;
  return `${n} row${n === 1 ? ' was' : 's were'} rejected; nothing was written (on_error=abort). Fix the rows listed in errors, or send on_error=skip to load the good rows.`;
}

function statusOf(failure: unknown, rolledBack: boolean, run: IngestRun): IngestionStatus {
  if (failure instanceof IngestionInterrupted) return 'interrupted';
  if (rolledBack) return 'failed';
  return run.counts.rejected > 0 ? 'succeeded_with_rejects' : 'succeeded';
}

/** The status and code the synchronous response carries, kept for clients that poll. */
function failureOf(failure: unknown): IngestionFailure {
  const { body } = toProblem(failure);
  const code = body.type.replace(/^\/problems\//, '');
  return {
    status: body.status,
    code,
    ...(typeof body.line === 'number' ? { line: body.line } : {}),
    ...(typeof body.column === 'string' ? { column: body.column } : {}),
  };
}

/** What the audit trail says of a failure: the client's problem, or only that something broke (the log has the rest). */
function describeFailure(failure: unknown, request: IngestRequest): string {
  const problem = toProblem(failure);
  if (!problem.unexpected) return problem.body.detail;
  return `an unexpected error stopped the ingestion; nothing was written (see the service log, request ${request.requestId})`;
}

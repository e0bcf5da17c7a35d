import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Not, Repository, WhereExpressionBuilder } from 'typeorm';
import { RowError } from '../common/row-error';
import { IngestionReject } from './entities/ingestion-reject.entity';
import { Ingestion, IngestionFailure, IngestionStatus, UNFINISHED_STATUSES } from './entities/ingestion.entity';
import { IngestCounts, IngestProgress, IngestRequest, SourceDescription } from './pipeline/pipeline.types';

export interface RejectToKeep {
  readonly error: RowError;
  readonly raw: unknown;
}

/** How an ingestion starts: running at once, or queued as a background job. */
export interface IngestionStart {
  readonly status: Extract<IngestionStatus, 'queued' | 'running'>;
  readonly instanceId: string;
  readonly isAsync: boolean;
  readonly bytesTotal: number | null;
}

/** Everything the end of an ingestion records. */
export interface IngestionOutcome {
  readonly status: IngestionStatus;
  readonly counts: IngestCounts;
  readonly progress: IngestProgress;
  readonly detail: string | null;
  readonly failure: IngestionFailure | null;
  readonly detected: SourceDescription;
  readonly timings: Record<string, number>;
  readonly sha256: string | null;
  /** The CSV header line as written (the first line of the rejects file). */
  readonly headerLine: string | null;
}

export interface IngestionFilter {
  readonly table?: string;
  readonly status?: string;
  readonly limit: number;
  readonly offset: number;
}

/** The audit trail: ingestions and their rejected rows. */
@Injectable()
export class IngestionsRepository {
  constructor(
    @InjectRepository(Ingestion) private readonly ingestions: Repository<Ingestion>,
    @InjectRepository(IngestionReject) private readonly rejects: Repository<IngestionReject>,
  ) {}

  async start(request: IngestRequest, how: IngestionStart): Promise<Ingestion> {
    const now = new Date().toISOString();
    return this.ingestions.save(
      this.ingestions.create({
        tableName: request.table,
        source: storable(request.sourceName).slice(0, 255),
        sourceKind: request.sourceKind,
        mode: request.mode,
        onError: request.onError,
        status: how.status,
        startedAt: now,
        finishedAt: null,
        detail: null,
        requestId: request.requestId,
        apiKeyName: request.apiKeyName ?? null,
        dryRun: request.dryRun,
        isAsync: how.isAsync,
        instanceId: how.instanceId,
        heartbeatAt: now,
        bytesRead: 0,
        bytesTotal: how.bytesTotal,
        rowsWritten: 0,
        detected: null,
        timings: null,
        failure: null,
      }),
    );
  }

  /** A queued job starts loading. */
  async markRunning(ingestion: Ingestion): Promise<Ingestion> {
    Object.assign(ingestion, { status: 'running', heartbeatAt: new Date().toISOString() });
    await this.ingestions.update({ id: ingestion.id, status: In(UNFINISHED_STATUSES) }, { status: 'running', heartbeatAt: ingestion.heartbeatAt });
    return ingestion;
  }

  /** Refreshes the heartbeat (and the progress, when given) of an unfinished ingestion this instance runs. */
  async beat(id: number, instanceId: string, progress: IngestProgress | null): Promise<void> {
    await this.ingestions.update(
      { id, instanceId, status: In(UNFINISHED_STATUSES) },
      { heartbeatAt: new Date().toISOString(), ...(progress ? progressColumns(progress) : {}) },
    );
  }

  /**
   * Marks interrupted every unfinished ingestion of another instance whose
   * heartbeat is older than `staleBefore`. One UPDATE: when several instances
   * sweep at once, each ingestion is marked by one of them.
   */
  async interruptStale(staleBefore: Date, instanceId: string): Promise<number> {
    return this.interrupt(
      'the service instance running this ingestion stopped sending heartbeats; nothing of it was committed. Upload the file again.',
      (query) =>
        query
          .andWhere('COALESCE(heartbeat_at, started_at) < :staleBefore', { staleBefore: staleBefore.toISOString() })
          .andWhere('(instance_id IS NULL OR instance_id <> :instanceId)', { instanceId }),
    );
  }

  /** At start-up: whatever is still unfinished under this instance's id was cut off by its previous run. */
  async interruptLeftovers(instanceId: string): Promise<number> {
    return this.interrupt(
      'the service stopped before this ingestion ended (it was restarted); nothing of it was committed. Upload the file again.',
      (query) => query.andWhere('instance_id = :instanceId', { instanceId }),
    );
  }

  /** Instances that have an unfinished ingestion with a fresh heartbeat. */
  async liveInstances(staleBefore: Date): Promise<Set<string>> {
    const rows = await this.ingestions
      .createQueryBuilder('ingestion')
      .select('DISTINCT ingestion.instance_id', 'instance_id')
      .where('ingestion.status IN (:...unfinished)', { unfinished: UNFINISHED_STATUSES })
      .andWhere('ingestion.heartbeat_at >= :staleBefore', { staleBefore: staleBefore.toISOString() })
      .getRawMany<{ instance_id: string | null }>();
    return new Set(rows.flatMap((row) => (row.instance_id ? [row.instance_id] : [])));
  }

  private async interrupt(detail: string, narrow: (query: WhereExpressionBuilder) => WhereExpressionBuilder): Promise<number> {
    const query = this.ingestions
      .createQueryBuilder()
      .update(Ingestion)
      .set({ status: 'interrupted', finishedAt: new Date().toISOString(), detail, failure: { status: 503, code: 'ingestion_interrupted' } })
      .where('status IN (:...unfinished)', { unfinished: UNFINISHED_STATUSES });
    narrow(query);
    const result = await query.execute();
    return result.affected ?? 0;
  }

  /**
   * Inside the loading transaction, just before it commits: refreshes the
   * heartbeat of a still-running ingestion and locks its row until the commit,
   * so no sweep can mark interrupted an ingestion whose rows are committing.
   * False when a sweep already did: the caller must roll back.
   */
  async claimForCommit(manager: EntityManager, id: number, instanceId: string): Promise<boolean> {
    const result = await manager.update(Ingestion, { id, instanceId, status: 'running' }, { heartbeatAt: new Date().toISOString() });
    return (result.affected ?? 0) === 1;
  }

  async finish(ingestion: Ingestion, outcome: IngestionOutcome, rejects: readonly RejectToKeep[]): Promise<Ingestion> {
    Object.assign(ingestion, {
      sha256: outcome.sha256,
      headerLine: outcome.headerLine === null ? null : storable(outcome.headerLine),
      duplicateOf: outcome.sha256 ? await this.latestLoadOf(ingestion.tableName, outcome.sha256, ingestion.id) : null,
      status: outcome.status,
      detail: storable(outcome.detail),
      finishedAt: new Date().toISOString(),
      heartbeatAt: new Date().toISOString(),
      ...outcome.counts,
      ...progressColumns(outcome.progress),
      failure: outcome.failure,
      detected: outcome.detected,
      timings: outcome.timings,
    });
    try {
      await this.ingestions.manager.transaction(async (manager) => {
        await manager.save(ingestion);
        await manager.save(IngestionReject, rejects.map((reject) => this.toEntity(ingestion.id, reject)), { chunk: 200 });
      });
    } catch (error) {
      // The audit record must not stay "running": keep the outcome, say the rejects were lost.
      const detail = outcome.detail;
      ingestion.detail = storable(`${detail ? `${detail} ` : ''}(its rejected rows could not be stored: ${(error as Error).message})`);
      await this.ingestions.save(ingestion);
    }
    return ingestion;
  }

  /** The latest earlier ingestion, not a dry run, that loaded these bytes into this table. */
  private async latestLoadOf(table: string, sha256: string, exceptId: number): Promise<number | null> {
    const earlier = await this.ingestions.findOne({
      select: { id: true },
      where: { tableName: table, sha256, dryRun: false, status: In(['succeeded', 'succeeded_with_rejects'] as IngestionStatus[]), id: Not(exceptId) },
      order: { id: 'DESC' },
    });
    return earlier?.id ?? null;
  }

  private toEntity(ingestionId: number, { error, raw }: RejectToKeep): IngestionReject {
    return this.rejects.create({
      ingestionId,
      line: error.line ?? error.row ?? 0,
      column: error.column === null ? null : storable(error.column).slice(0, 64),
      value: storable(error.value),
      code: error.code,
      message: storable(error.message),
      record: raw === undefined ? null : storable(JSON.stringify(raw)),
    });
  }

  async findPage(filter: IngestionFilter): Promise<[Ingestion[], number]> {
    return this.ingestions.findAndCount({
      where: { ...(filter.table ? { tableName: filter.table } : {}), ...(filter.status ? { status: filter.status as IngestionStatus } : {}) },
      order: { id: 'DESC' },
      take: filter.limit,
      skip: filter.offset,
    });
  }

  async findById(id: number): Promise<Ingestion | null> {
    return this.ingestions.findOneBy({ id });
  }

  async findRejects(ingestionId: number): Promise<IngestionReject[]> {
    return this.rejects.find({ where: { ingestionId }, order: { line: 'ASC', id: 'ASC' } });
  }
}

function progressColumns(progress: IngestProgress): Pick<Ingestion, 'rowsRead' | 'rejected' | 'rowsWritten' | 'bytesRead'> {
  return { rowsRead: progress.rowsRead, rejected: progress.rejected, rowsWritten: progress.rowsWritten, bytesRead: progress.bytesRead };
}

/** PostgreSQL text cannot hold NUL; a rejected cell may. It is kept visible as U+FFFD. */
function storable<T extends string | null>(text: T): T {
  return (text === null ? text : text.replaceAll('\u0000', '\uFFFD')) as T;
}

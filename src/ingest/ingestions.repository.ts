import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RowError } from '../common/row-error';
import { IngestionReject } from './entities/ingestion-reject.entity';
import { Ingestion, IngestionStatus } from './entities/ingestion.entity';
import { IngestCounts, IngestRequest } from './pipeline/pipeline.types';

export interface RejectToKeep {
  readonly error: RowError;
  readonly raw: unknown;
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

  async start(request: IngestRequest, startedAt: Date): Promise<Ingestion> {
    return this.ingestions.save(
      this.ingestions.create({
        tableName: request.table,
        source: storable(request.sourceName).slice(0, 255),
        sourceKind: request.sourceKind,
        mode: request.mode,
        onError: request.onError,
        status: 'running',
        startedAt: startedAt.toISOString(),
        finishedAt: null,
        detail: null,
        requestId: request.requestId,
      }),
    );
  }

  async finish(
    ingestion: Ingestion,
    status: IngestionStatus,
    counts: IngestCounts,
    detail: string | null,
    rejects: readonly RejectToKeep[],
  ): Promise<Ingestion> {
    Object.assign(ingestion, { status, detail: storable(detail), finishedAt: new Date().toISOString(), ...counts });
    try {
      await this.ingestions.manager.transaction(async (manager) => {
        await manager.save(ingestion);
        await manager.save(IngestionReject, rejects.map((reject) => this.toEntity(ingestion.id, reject)), { chunk: 200 });
      });
    } catch (error) {
      // The audit record must not stay "running": keep the outcome, say the rejects were lost.
      ingestion.detail = storable(`${detail ? `${detail} ` : ''}(its rejected rows could not be stored: ${(error as Error).message})`);
      await this.ingestions.save(ingestion);
    }
    return ingestion;
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

/** PostgreSQL text cannot hold NUL; a rejected cell may. It is kept visible as U+FFFD. */
function storable<T extends string | null>(text: T): T {
  return (text === null ? text : text.replaceAll('\u0000', '\uFFFD')) as T;
}

import { Injectable } from '@nestjs/common';
import { found } from '../common/not-found';
import { RowErrorCode } from '../common/row-error';
import { Page } from '../common/pagination.dto';
import { IngestionDetailDto, IngestionDto } from './dto/ingestion.dto';
import { IngestionsQueryDto } from './dto/ingestions-query.dto';
import { IngestionsRepository } from './ingestions.repository';
import { rejectsToCsv } from './rejects-csv';

@Injectable()
export class IngestionsService {
  constructor(private readonly ingestions: IngestionsRepository) {}

  async list(query: IngestionsQueryDto): Promise<Page<IngestionDto>> {
    const [rows, total] = await this.ingestions.findPage(query);
    return { items: rows.map(IngestionDto.from), total, limit: query.limit, offset: query.offset };
  }

  async get(id: number): Promise<IngestionDetailDto> {
    const ingestion = found(await this.ingestions.findById(id), 'ingestion', id);
    const rejects = await this.ingestions.findRejects(id);
    const position = ingestion.sourceKind === 'csv' ? 'line' : 'row';
    return {
      ...IngestionDto.from(ingestion),
      errors: rejects.map((r) => ({ [position]: r.line, column: r.column, value: r.value, code: r.code as RowErrorCode, message: r.message })),
    };
  }

  async rejectsCsv(id: number): Promise<string> {
    const ingestion = found(await this.ingestions.findById(id), 'ingestion', id);
    return rejectsToCsv(ingestion, await this.ingestions.findRejects(id));
  }
}

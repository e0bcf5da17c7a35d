import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from '../common/api-problem';
import { TABLE_NAMES, TABLE_SPECS, TableName } from '../common/tables';
import { validatePlain } from '../common/validation';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BatchRequest } from './dto/batch-request.dto';
import { IngestionReportDto } from './dto/ingestion.dto';
import { DELIMITERS, IngestCsvOptionsDto, UPLOAD_OPTIONS, UploadOptionsDto } from './dto/upload-options.dto';
import { IngestPipeline } from './ingest-pipeline.service';
import { MultipartUploadReader } from './multipart-upload.reader';
import { BatchRowSource } from './pipeline/batch-row-source';
import { CsvRowSource } from './pipeline/csv-row-source';

/** Turns an HTTP upload or batch into a row source and runs the pipeline on it. */
@Injectable()
export class IngestService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uploads: MultipartUploadReader,
    private readonly pipeline: IngestPipeline,
  ) {}

  /** A CSV upload into `table`, or into the table named by the request when `table` is undefined. */
  async uploadCsv(request: FastifyRequest, query: IngestCsvOptionsDto, table?: TableName): Promise<IngestionReportDto> {
    const optionsClass = table ? UploadOptionsDto : IngestCsvOptionsDto;
    const upload = await this.uploads.open(request, table ? UPLOAD_OPTIONS : [...UPLOAD_OPTIONS, 'table']);
    try {
      const options: IngestCsvOptionsDto = validatePlain(optionsClass, { ...query, ...upload.fields });
      const target = table ?? options.table;
      if (!target) {
        throw new ApiProblem(400, 'missing_table', `name the target table in a "table" field or query parameter (${TABLE_NAMES.join(', ')})`);
      }
      const source = new CsvRowSource(upload.stream, TABLE_SPECS[target], this.config.headerMappings[target], {
        header: options.header ?? 'auto',
        delimiter: DELIMITERS[options.delimiter ?? ','],
        maxBytes: this.config.ingest.maxUploadBytes,
        afterLastRow: () => upload.assertComplete(),
      });
      return await this.pipeline.run(
        {
          table: target,
          sourceKind: 'csv',
          sourceName: upload.filename,
          mode: options.mode ?? this.config.ingest.defaultMode,
          onError: options.on_error ?? this.config.ingest.defaultOnError,
          requestId: String(request.id),
        },
        source,
      );
    } finally {
      upload.discard();
    }
  }

  /** A JSON batch: all rows or none (on_error is always abort). */
  ingestBatch(table: TableName, batch: BatchRequest, requestId: string): Promise<IngestionReportDto> {
    return this.pipeline.run(
      {
        table,
        sourceKind: 'batch',
        sourceName: 'batch',
        mode: batch.mode ?? this.config.ingest.defaultMode,
        onError: 'abort',
        requestId,
      },
      new BatchRowSource(batch.rows, TABLE_SPECS[table]),
    );
  }
}

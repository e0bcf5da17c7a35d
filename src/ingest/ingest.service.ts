import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { ApiProblem } from '../common/api-problem';
import { stopStream } from '../common/stop-stream';
import { TABLE_NAMES, TABLE_SPECS, TableName } from '../common/tables';
import { validatePlain } from '../common/validation';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BatchRequest } from './dto/batch-request.dto';
import { IngestionDto, IngestionReportDto } from './dto/ingestion.dto';
import { Ingestion } from './entities/ingestion.entity';
import { IngestJobs } from './ingest-jobs.service';
import { IngestDefaultsDto } from './dto/ingest-defaults.dto';
import { DEFAULT_DELIMITER, DEFAULT_HEADER, DELIMITERS, DryRunOptionDto, IngestCsvOptionsDto, UPLOAD_OPTIONS, UploadOptionsDto } from './dto/upload-options.dto';
import { IngestPipeline } from './ingest-pipeline.service';
import { MultipartUploadReader, UploadedFile } from './multipart-upload.reader';
import { BatchRowSource } from './pipeline/batch-row-source';
import { createCsvRowSource } from './pipeline/create-csv-row-source';
import { parseRecord } from './pipeline/csv-parser';
import { peekFirstLine } from './pipeline/first-line';
import { TableInferredFrom, inferTable } from './pipeline/table-inference';
import { IngestRequest, RowSource } from './pipeline/pipeline.types';
import { UploadSpool } from './upload-spool';
import { IngestionAdmission } from './ingestion-admission';
import { IngestionsService } from './ingestions.service';
import { KeyClaim, IdempotencyService } from '../idempotency/idempotency.service';
import { answerWith, idempotencyKeyOf, routeOf } from '../idempotency/idempotency-key.header';
import { StreamedContent, contentOfJson } from '../idempotency/request-content';

/** Turns an HTTP upload or batch into a row source and runs the pipeline on it. */
@Injectable()
export class IngestService {
  private readonly database: 'sqlite' | 'postgres';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uploads: MultipartUploadReader,
    private readonly pipeline: IngestPipeline,
    private readonly jobs: IngestJobs,
    private readonly spool: UploadSpool,
    private readonly idempotency: IdempotencyService,
    private readonly ingestions: IngestionsService,
    private readonly admission: IngestionAdmission,
    dataSource: DataSource,
  ) {
    this.database = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  defaults(): IngestDefaultsDto {
    return IngestDefaultsDto.from(this.config.ingest);
  }

  /**
   * A CSV upload into `table`, or into the table named by the request when
   * `table` is undefined. With async=true the file is saved first, the answer
   * is 202 with the queued ingestion, and the load runs in the background.
   * Refused (429) before anything is read when too many ingestions are pending.
   */
  uploadCsv(request: FastifyRequest, reply: FastifyReply, query: IngestCsvOptionsDto, table?: TableName): Promise<unknown> {
    return this.admission.admit(() => this.receiveCsv(request, reply, query, table));
  }

  private async receiveCsv(
    request: FastifyRequest,
    reply: FastifyReply,
    query: IngestCsvOptionsDto,
    table?: TableName,
  ): Promise<unknown> {
    const key = idempotencyKeyOf(request);
    const optionsClass = table ? UploadOptionsDto : IngestCsvOptionsDto;
    const upload = await this.uploads.open(request, table ? UPLOAD_OPTIONS : [...UPLOAD_OPTIONS, 'table']);
    try {
      const raw = { ...query, ...upload.fields };
      const options: IngestCsvOptionsDto = validatePlain(optionsClass, raw);
      // No table named (POST /ingest/csv without one): loadCsv infers it from the file's header.
      const target = table ?? options.table;
      if (key === null) return await this.loadCsv(request, reply, options, target, upload, upload.stream);
      const content = new StreamedContent(upload.stream, routeOf(request), { ...raw, table: target });
      const answer = await this.idempotency.handle(
        { key, route: routeOf(request), content, instance: request.url, requestId: String(request.id) },
        async (claim) => {
          const body = await this.loadCsv(request, reply, options, target, upload, content.stream, claim);
          return { status: reply.statusCode, body };
        },
        (ingestionId) => this.committedAnswer(ingestionId),
      );
      return answerWith(reply, answer);
    } finally {
      upload.discard();
    }
  }

  private async loadCsv(
    request: FastifyRequest,
    reply: FastifyReply,
    options: IngestCsvOptionsDto,
    named: TableName | undefined,
    upload: UploadedFile,
    sent: Readable,
    idempotency?: KeyClaim,
  ): Promise<IngestionReportDto | IngestionDto> {
    const { table: target, from, file } = named ? { table: named, from: undefined, file: sent } : await this.inferTableOf(sent, options);
    const ingest: IngestRequest = {
      table: target,
      tableInferredFrom: from,
      sourceKind: 'csv',
      sourceName: upload.filename,
      mode: options.mode ?? this.config.ingest.defaultMode,
      onError: options.on_error ?? this.config.ingest.defaultOnError,
      requestId: String(request.id),
      dryRun: options.dry_run ?? false,
      maxErrors: options.max_errors ?? this.config.ingest.maxErrors,
      idempotency,
      apiKeyName: request.apiKey?.name,
    };
    const csvSource = (input: Readable, bytes: number | null, afterLastRow?: () => Promise<void>): RowSource =>
      createCsvRowSource(
        input,
        TABLE_SPECS[target],
        this.config.headerMappings[target],
        { header: options.header ?? DEFAULT_HEADER, delimiter: DELIMITERS[options.delimiter ?? DEFAULT_DELIMITER], maxBytes: this.config.ingest.maxUploadBytes, afterLastRow },
        { policy: this.config.ingest.parseWorker, minBytes: this.config.ingest.parseWorkerMinBytes, bytes, database: this.database },
      );
    if (!options.async) {
      // The request's length (the file plus a little multipart framing) tells a large upload in advance.
      const length = Number(request.headers['content-length']);
      const bytes = Number.isFinite(length) ? length : null;
      return this.pipeline.run(ingest, csvSource(file, bytes, () => upload.assertComplete()));
    }
    const accepted = await this.acceptInBackground(ingest, upload, file, csvSource);
    void reply.code(202).header('location', `/ingestions/${accepted.id}`);
    return accepted;
  }

  /** The table of an upload that named none, from its header; the stream still starts at byte 0. */
  private async inferTableOf(sent: Readable, options: IngestCsvOptionsDto): Promise<{ table: TableName; from: TableInferredFrom; file: Readable }> {
    const { firstLine, stream } = await peekFirstLine(sent);
    try {
      const cells = parseRecord(firstLine.replace(/^\uFEFF/, ''), DELIMITERS[options.delimiter ?? DEFAULT_DELIMITER]);
      const { table, from } = inferTable(cells, options.header ?? DEFAULT_HEADER, this.config.headerMappings);
      return { table, from, file: stream };
    } catch (error) {
      stream.destroy();
      if (error instanceof ApiProblem) throw error;
      throw new ApiProblem(
        400,
        'missing_table',
        `name the target table in a "table" field or query parameter (${TABLE_NAMES.join(', ')}): line 1 is not a CSV header (${(error as Error).message})`,
        { line: 1 },
      );
    }
  }

  /** The answer of a load that committed for a request whose instance died before answering: what GET /ingestions/{id} says of it. */
  private async committedAnswer(ingestionId: number): Promise<{ status: number; body: unknown }> {
    return { status: 201, body: await this.ingestions.get(ingestionId) };
  }

  /** Saves the upload, records it queued, and hands its load to the background jobs; answers the queued ingestion. */
  private async acceptInBackground(
    ingest: IngestRequest,
    upload: UploadedFile,
    file: Readable,
    csvSource: (input: Readable, bytes: number) => RowSource,
  ): Promise<IngestionDto> {
    this.jobs.assertAccepting();
    const spool = await this.spool.save(file, this.config.ingest.maxUploadBytes);
    let ingestion: Ingestion;
    try {
      await upload.assertComplete();
      this.jobs.assertAccepting();
      ingestion = await this.pipeline.enqueue(ingest, spool.bytes);
    } catch (error) {
      await spool.remove();
      throw error;
    }
    // As accepted: the job may start (and change the entity) before the answer is written.
    const accepted = IngestionDto.from(ingestion);
    const spooled = createReadStream(spool.path);
    this.jobs.start(ingestion, {
      run: () => this.pipeline.run(ingest, csvSource(spooled, spool.bytes), ingestion),
      stop: (reason) => stopStream(spooled, reason),
      cleanUp: () => spool.remove(),
    });
    return accepted;
  }

  /** A JSON batch: all rows or none (on_error is always abort). dry_run may come in the body or the query. */
  ingestBatch(table: TableName, batch: BatchRequest, query: DryRunOptionDto, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    return this.admission.admit(() => this.loadBatch(table, batch, query, request, reply));
  }

  private async loadBatch(
    table: TableName,
    batch: BatchRequest,
    query: DryRunOptionDto,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<unknown> {
    const key = idempotencyKeyOf(request);
    const load = (idempotency?: KeyClaim): Promise<IngestionReportDto> =>
      this.pipeline.run(
        {
          table,
          sourceKind: 'batch',
          sourceName: 'batch',
          mode: batch.mode ?? this.config.ingest.defaultMode,
          onError: 'abort',
          requestId: String(request.id),
          dryRun: batch.dry_run ?? query.dry_run ?? false,
          // At most 1000 rows, all or nothing: every error is reported, no budget.
          maxErrors: null,
          idempotency,
          apiKeyName: request.apiKey?.name,
        },
        new BatchRowSource(batch.rows, TABLE_SPECS[table]),
      );
    if (key === null) return load();
    const answer = await this.idempotency.handle(
      {
        key,
        route: routeOf(request),
        content: contentOfJson(routeOf(request), { ...query }, request.body),
        instance: request.url,
        requestId: String(request.id),
      },
      async (claim) => ({ status: reply.statusCode, body: await load(claim) }),
      (ingestionId) => this.committedAnswer(ingestionId),
    );
    return answerWith(reply, answer);
  }
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemDto } from '../../common/problem.dto';
import { RowError } from '../../common/row-error';
import { TABLE_NAMES } from '../../common/tables';
import { INGEST_MODES, ON_ERROR_POLICIES } from '../../config/settings.schema';
import { INGESTION_STATUSES, Ingestion } from '../entities/ingestion.entity';

export class DetectedSourceDto {
  @ApiProperty({ enum: ['csv', 'json'] }) format!: string;
  @ApiPropertyOptional({ description: 'Whether the first row was a header.' }) header?: boolean;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Source header → canonical column.',
    example: { datetime: 'hire_date' },
  })
  columns?: Record<string, string>;
  @ApiPropertyOptional({ example: ',' }) delimiter?: string;
  @ApiPropertyOptional({ description: 'Whether the file started with a UTF-8 byte order mark.' }) bom?: boolean;
  @ApiPropertyOptional({
    enum: ['crlf', 'lf', 'cr', 'mixed', 'none'],
    description: 'The line breaks of the file (none: a single line without one).',
  })
  line_endings?: string;
  @ApiPropertyOptional({ description: 'Bytes read.' }) bytes?: number;
  @ApiPropertyOptional({
    enum: ['header'],
    description: 'Set when the upload named no table (POST /ingest/csv without "table"): the table was told from the header\'s names.',
  })
  table_inferred_from?: string;
}

/** Where the time of an ingestion went, in milliseconds. */
export class StageTimingsDto {
  @ApiProperty({ description: 'Waiting for parsed rows: network, UTF-8 check, CSV framing and parsing.' }) read!: number;
  @ApiProperty({ description: 'Type checks of each row.' }) check!: number;
  @ApiProperty({ description: 'Database checks per chunk: foreign keys, existing ids, unique names.' }) resolve!: number;
  @ApiProperty({ description: 'Writing the rows.' }) write!: number;
  @ApiProperty({ description: 'Committing the transaction.' }) commit!: number;
}

export class IngestionProgressDto {
  @ApiProperty({ description: 'Bytes of the file read so far (0 for batches).' }) bytes_read!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Size of the file when known before loading (async uploads).' })
  bytes_total!: number | null;
  @ApiProperty({ description: 'Data rows read so far.' }) rows_read!: number;
  @ApiProperty({ description: 'Rows handed to the database so far; committed only when the ingestion succeeds. When it ends: inserted + updated.' })
  rows_written!: number;
  @ApiProperty({ description: 'Rows rejected so far.' }) rejected!: number;
}

export class IngestionFailureDto {
  @ApiProperty({ description: 'The HTTP status a synchronous upload would have answered.', example: 400 }) status!: number;
  @ApiProperty({ description: 'The problem code (the last part of the problem type).', example: 'invalid_encoding' }) code!: string;
  @ApiPropertyOptional({ description: 'The line of the file the failure is on, when it is on one.' }) line?: number;
  @ApiPropertyOptional({ description: 'The column the failure is in, when it is in one.' }) column?: string;
}

/** One ingestion of the audit trail, as the API shows it. */
export class IngestionDto {
  @ApiProperty({ example: 12 }) id!: number;
  @ApiProperty({ enum: TABLE_NAMES }) table!: string;
  @ApiProperty({ description: 'File name of the upload, or "batch".', example: 'hired_employees.csv' }) source!: string;
  @ApiProperty({ enum: ['csv', 'batch'] }) source_kind!: string;
  @ApiProperty({ enum: INGEST_MODES }) mode!: string;
  @ApiProperty({ enum: ON_ERROR_POLICIES }) on_error!: string;
  @ApiProperty({
    enum: INGESTION_STATUSES,
    description:
      'queued: accepted (async=true), waiting to load; running: loading; succeeded: every row loaded; ' +
      'succeeded_with_rejects: good rows loaded, bad rows reported (on_error=skip); failed: nothing written; ' +
      'interrupted: its service instance stopped (shut down, or its heartbeat went stale) and nothing was written.',
  })
  status!: string;
  @ApiProperty({ format: 'date-time' }) started_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finished_at!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Milliseconds from start to finish.' }) duration_ms!: number | null;
  @ApiProperty({ description: 'Data rows read (header and blank lines excluded).' }) rows_read!: number;
  @ApiProperty() inserted!: number;
  @ApiProperty({ description: 'Existing rows changed (mode upsert).' }) updated!: number;
  @ApiProperty({ description: 'Rows identical to the stored ones (mode upsert): nothing to change.' })
  unchanged!: number;
  @ApiProperty({ description: 'Rows whose id already existed (mode skip).' }) skipped!: number;
  @ApiProperty({
    description:
      'Rows whose id an earlier row of the same upload had: the first row of an id counts as inserted, updated, unchanged or ' +
      'skipped, each later one here. Mode upsert writes it (the last row of an id wins), mode skip keeps the first; ' +
      'mode insert rejects it (duplicate_id, counted as rejected). ' +
      'rows_read = inserted + updated + unchanged + skipped + duplicate_in_file + rejected.',
  })
  duplicate_in_file!: number;
  @ApiProperty({ description: 'Rows with at least one error.' }) rejected!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the ingestion failed.' }) detail!: string | null;
  @ApiProperty({ type: IngestionFailureDto, nullable: true, description: 'Why it failed, as the synchronous response would have said.' })
  error!: IngestionFailureDto | null;
  @ApiProperty({ type: String, nullable: true }) request_id!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The name of the API key that sent it (never the key); null when authentication was off.' })
  api_key!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'SHA-256 (hex) of the bytes read: the file as uploaded, or a batch\'s rows as compact JSON. Null until read.',
  })
  sha256!: string | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      'The latest earlier ingestion (not a dry run) that loaded the same bytes into the same table: this one loaded them again.',
  })
  duplicate_of!: number | null;
  @ApiProperty({
    description: 'dry_run=true: every stage ran and the rows were written inside a transaction that was rolled back. ' +
      'The counts and status are what the real run would report; nothing was kept but this record.',
  })
  dry_run!: boolean;
  @ApiProperty({ description: 'Accepted with async=true (answered 202, loaded in the background).' }) async!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The service instance that runs or ran it.' }) instance_id!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last sign of life of its instance while unfinished.' })
  heartbeat_at!: string | null;
  @ApiProperty({ type: IngestionProgressDto }) progress!: IngestionProgressDto;
  @ApiProperty({ type: DetectedSourceDto, nullable: true, description: 'What was detected in the source; null until it has been read.' })
  detected!: DetectedSourceDto | null;
  @ApiProperty({ type: StageTimingsDto, nullable: true, description: 'Where the time went; null until the ingestion ends.' })
  timings_ms!: StageTimingsDto | null;

  static from(ingestion: Ingestion): IngestionDto {
    const finished = ingestion.finishedAt ? Date.parse(ingestion.finishedAt) : null;
    return {
      id: ingestion.id,
      table: ingestion.tableName,
      source: ingestion.source,
      source_kind: ingestion.sourceKind,
      mode: ingestion.mode,
      on_error: ingestion.onError,
      status: ingestion.status,
      started_at: ingestion.startedAt,
      finished_at: ingestion.finishedAt,
      duration_ms: finished === null ? null : finished - Date.parse(ingestion.startedAt),
      rows_read: ingestion.rowsRead,
      inserted: ingestion.inserted,
      updated: ingestion.updated,
      unchanged: ingestion.unchanged,
      skipped: ingestion.skipped,
      duplicate_in_file: ingestion.duplicateInFile,
      rejected: ingestion.rejected,
      detail: ingestion.detail,
      error: ingestion.failure,
      request_id: ingestion.requestId,
      api_key: ingestion.apiKeyName,
      sha256: ingestion.sha256,
      duplicate_of: ingestion.duplicateOf,
      dry_run: ingestion.dryRun,
      async: ingestion.isAsync,
      instance_id: ingestion.instanceId,
      heartbeat_at: ingestion.heartbeatAt,
      progress: {
        bytes_read: ingestion.bytesRead,
        bytes_total: ingestion.bytesTotal,
        rows_read: ingestion.rowsRead,
        rows_written: ingestion.rowsWritten,
        rejected: ingestion.rejected,
      },
      detected: ingestion.detected as DetectedSourceDto | null,
      timings_ms: ingestion.timings as StageTimingsDto | null,
    };
  }
}

/** The answer to an upload or batch: the ingestion plus what was found. */
export class IngestionReportDto extends IngestionDto {
  @ApiProperty({ type: [RowError], description: 'Row errors, ordered by line/row, at most ingest.max_rejects_kept.' })
  errors!: RowError[];
  @ApiProperty({ description: 'True when more errors were found than are listed.' }) errors_truncated!: boolean;
}

export class IngestionDetailDto extends IngestionDto {
  @ApiProperty({ type: [RowError], description: 'Stored rejected rows (at most ingest.max_rejects_kept).' })
  errors!: RowError[];
}

/** The 422 body: problem details, the row errors, and the full report of the (rolled back) ingestion. */
export class RowsRejectedProblemDto extends ProblemDto {
  @ApiProperty({ type: IngestionReportDto }) report!: IngestionReportDto;
}

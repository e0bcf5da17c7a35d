import { ApiProperty } from '@nestjs/swagger';
import { AppConfig } from '../../config/app-config';
import { INGEST_MODES, IngestMode, ON_ERROR_POLICIES, OnErrorPolicy } from '../../config/settings.schema';
import { HEADER_OPTIONS } from '../pipeline/header-layout';
import { MAX_BATCH_ROWS } from './batch-request.dto';
import { DEFAULT_DELIMITER, DEFAULT_HEADER } from './upload-options.dto';

/**
 * What an upload or batch gets when it leaves an option out, and the limits it
 * must stay under: config/settings.yaml as this instance runs it, so a form
 * (the admin UI) can show the real defaults rather than "server default".
 */
export class IngestDefaultsDto {
  @ApiProperty({ enum: INGEST_MODES, description: 'ingest.default_mode: the mode of a request that names none.' })
  mode!: IngestMode;

  @ApiProperty({ enum: ON_ERROR_POLICIES, description: 'ingest.default_on_error (batches always abort).' })
  on_error!: OnErrorPolicy;

  @ApiProperty({ type: 'integer', nullable: true, description: 'ingest.max_errors, the error budget; null: none.' })
  max_errors!: number | null;

  @ApiProperty({ enum: HEADER_OPTIONS, description: 'How a CSV upload decides whether its first line is a header.' })
  header!: string;

  @ApiProperty({ example: ',', description: 'The delimiter of a CSV upload that names none.' })
  delimiter!: string;

  @ApiProperty({ type: 'integer', description: 'ingest.max_upload_bytes: larger uploads get 413.' })
  max_upload_bytes!: number;

  @ApiProperty({ type: 'integer', description: 'ingest.max_rows_per_file: past it a file stops loading, 413 too_many_rows.' })
  max_rows_per_file!: number;

  @ApiProperty({ type: 'integer', description: 'Rows a JSON batch may hold.' })
  max_batch_rows!: number;

  @ApiProperty({ type: 'integer', description: 'ingest.max_batch_bytes: larger batch bodies get 413.' })
  max_batch_bytes!: number;

  static from(ingest: AppConfig['ingest']): IngestDefaultsDto {
    return {
      mode: ingest.defaultMode,
      on_error: ingest.defaultOnError,
      max_errors: ingest.maxErrors,
      header: DEFAULT_HEADER,
      delimiter: DEFAULT_DELIMITER,
      max_upload_bytes: ingest.maxUploadBytes,
      max_rows_per_file: ingest.maxRowsPerFile,
      max_batch_rows: MAX_BATCH_ROWS,
      max_batch_bytes: ingest.maxBatchBytes,
    };
  }
}

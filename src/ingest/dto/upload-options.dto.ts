import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { TABLE_NAMES, TableName } from '../../common/tables';
import { INGEST_MODES, IngestMode, ON_ERROR_POLICIES, OnErrorPolicy } from '../../config/settings.schema';
import { HEADER_OPTIONS, HeaderOption } from '../pipeline/header-layout';

/** Accepted spellings of the four delimiters, and the character each means. */
export const DELIMITERS: Readonly<Record<string, string>> = {
  ',': ',',
  ';': ';',
  '|': '|',
  '\t': '\t',
  '\\t': '\t',
  comma: ',',
  semicolon: ';',
  pipe: '|',
  tab: '\t',
};

/** What an upload that names no header option or delimiter gets. */
export const DEFAULT_HEADER: HeaderOption = 'auto';
export const DEFAULT_DELIMITER = ',';

/** The option fields of an upload (the names of UploadOptionsDto's properties). */
export const UPLOAD_OPTIONS = ['mode', 'on_error', 'header', 'delimiter', 'async', 'dry_run', 'max_errors'] as const;

/** "true"/"false" from a query string or form field; anything else stays as sent and fails @IsBoolean. */
function booleanFlag({ value }: { value: unknown }): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** Digits from a query string or form field become a number; anything else stays as sent and fails @IsInt. */
function integerFlag({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
}

export const MAX_ERRORS_DESCRIPTION =
  'The error budget: past this many rejected rows the ingestion stops reading, rolls back and answers 422 ' +
  'error_budget_exceeded with the first max_errors rows\' errors. Default: ingest.max_errors (none).';

export const DRY_RUN_DESCRIPTION =
  'true: run every check and write the rows inside a transaction, then roll it back. The answer (status, counts, errors) ' +
  'is what the real run would give; nothing is kept but the ingestion record, marked dry_run.';

/** dry_run as a query parameter of any ingestion endpoint. */
export class DryRunOptionDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: DRY_RUN_DESCRIPTION,
  })
  @IsOptional()
  @Transform(booleanFlag)
  @IsBoolean()
  dry_run?: boolean;
}

/** Upload options, as query parameters or multipart fields sent before the file. */
export class UploadOptionsDto extends DryRunOptionDto {
  @ApiPropertyOptional({ enum: INGEST_MODES, description: 'Default from config/settings.yaml (ingest.default_mode).' })
  @IsOptional()
  @IsIn(INGEST_MODES)
  mode?: IngestMode;

  @ApiPropertyOptional({
    enum: ON_ERROR_POLICIES,
    description: 'abort: any bad row → 422 and nothing written. skip: good rows written, bad rows reported.',
  })
  @IsOptional()
  @IsIn(ON_ERROR_POLICIES)
  on_error?: OnErrorPolicy;

  @ApiPropertyOptional({
    enum: HEADER_OPTIONS,
    default: DEFAULT_HEADER,
    description: 'auto: the first row is a header when none of its cells is an integer.',
  })
  @IsOptional()
  @IsIn(HEADER_OPTIONS)
  header?: HeaderOption;

  @ApiPropertyOptional({
    enum: Object.keys(DELIMITERS),
    default: DEFAULT_DELIMITER,
    description: 'Field delimiter: , ; | or tab (also "\\t", comma, semicolon, pipe).',
  })
  @IsOptional()
  @IsIn(Object.keys(DELIMITERS))
  delimiter?: string;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'true: answer 202 with the ingestion as soon as the file is received, and load it in the background; ' +
      'poll GET /ingestions/{id} (the Location header) for status, progress and the final report.',
  })
  @IsOptional()
  @Transform(booleanFlag)
  @IsBoolean()
  async?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: MAX_ERRORS_DESCRIPTION })
  @IsOptional()
  @Transform(integerFlag)
  @IsInt()
  @Min(0)
  max_errors?: number;
}

export class IngestCsvOptionsDto extends UploadOptionsDto {
  @ApiPropertyOptional({ enum: TABLE_NAMES, description:
      'Target table, as a query parameter or a form field before the file. Without it the table is inferred from the header: ' +
      'its names (aliases included) must be the columns of exactly one table (detected.table_inferred_from says so). ' +
      'A file without a header, or with one that fits no table or two (departments and jobs both take "id,name"), ' +
      'must name it: 400 missing_table.',
  })
  @IsOptional()
  @IsIn(TABLE_NAMES)
  table?: TableName;
}

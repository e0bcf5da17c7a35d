import { applyDecorators, UseGuards } from '@nestjs/common';
import { RequireJsonGuard } from '../common/require-json.guard';
import { BatchBodyLimit } from '../http/body-limits';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { TABLE_NAMES } from '../common/tables';
import { INGEST_MODES, ON_ERROR_POLICIES } from '../config/settings.schema';
import { IngestionDto, IngestionReportDto, RowsRejectedProblemDto } from './dto/ingestion.dto';
import { DELIMITERS, DRY_RUN_DESCRIPTION, MAX_ERRORS_DESCRIPTION } from './dto/upload-options.dto';
import { HEADER_OPTIONS } from './pipeline/header-layout';
import { ApiIdempotencyKey, REPLAYED_HEADER } from '../idempotency/idempotency-key.header';

const ROWS_REJECTED =
  'Rows were rejected with on_error=abort (or in a batch; type /problems/rows_rejected), or more rows than max_errors ' +
  '(type /problems/error_budget_exceeded, with the line where it stopped): nothing was written. The body is problem details ' +
  'with the row errors (line/row, column, value, code, message) and the full ingestion report.';

/** The responses every ingestion endpoint shares. */
export function ApiIngestResponses(): MethodDecorator {
  return applyDecorators(
    ApiIdempotencyKey(),
    ApiCreatedResponse({
      type: IngestionReportDto,
      description: 'Loaded; the report of the recorded ingestion.',
      headers: {
        [REPLAYED_HEADER]: { description: '"true" when this is the stored answer of an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
      },
    }),
    ApiExtraModels(RowsRejectedProblemDto),
    ApiResponse({
      status: 422,
      description: ROWS_REJECTED,
      content: {
        'application/problem+json': { schema: { $ref: getSchemaPath(RowsRejectedProblemDto) } },
      },
    }),
    ApiProblemResponses({
      409:
        'A concurrent change to the same rows, nothing was written (type /problems/concurrent_change); or the Idempotency-Key was already used ' +
        'with other content, options or endpoint (type /problems/idempotency_key_reused).',
      429:
        'More ingestions are running or waiting than ingest.max_pending_loads (type /problems/too_many_ingestions), or this client sent ' +
        'more than rate_limit.write_max writes in the window (type /problems/too_many_requests); nothing was read. Retry after the ' +
        'Retry-After header\'s seconds.',
    }),
  );
}

/** A multipart CSV upload: the file part as binary, options as fields before it. */
export function ApiCsvUpload(withTable: boolean): MethodDecorator {
  const option = (values: readonly string[], description: string): object => ({ type: 'string', enum: values, description });
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({
      schema: {
        type: 'object',
        required: ['file'],
        properties: {
          ...(withTable ? { table: option(TABLE_NAMES, 'Target table; without it the table is inferred from the header (see the table query parameter).') } : {}),
          mode: option(INGEST_MODES, 'insert | upsert | skip (default from settings).'),
          on_error: option(ON_ERROR_POLICIES, 'abort | skip (default from settings).'),
          header: option(HEADER_OPTIONS, 'Whether the first row is a header (default auto).'),
          delimiter: option(Object.keys(DELIMITERS), 'Field delimiter (default ",").'),
          async: option(['true', 'false'], 'true: answer 202 once the file is received and load it in the background (default false).'),
          dry_run: option(['true', 'false'], `${DRY_RUN_DESCRIPTION} (default false)`),
          max_errors: { type: 'integer', minimum: 0, description: MAX_ERRORS_DESCRIPTION },
          file: { type: 'string', format: 'binary', description: 'The CSV file (UTF-8, with or without BOM). Send it after the other fields.' },
        },
      },
    }),
    ApiIngestResponses(),
    ApiAcceptedResponse({
      type: IngestionDto,
      description:
        'async=true: the file was received and queued. Poll GET /ingestions/{id} (the Location header) for status, ' +
        'progress and, once it has ended, the report; failures that a synchronous upload answers with 4xx end the ingestion "failed" with an error.',
      headers: { Location: { description: 'The ingestion to poll, /ingestions/{id}.', schema: { type: 'string' } } },
    }),
    ApiProblemResponses({
      400: 'The file is malformed (encoding, quoting, header, empty) or an option is invalid; names the line. A second file part: too_many_files.',
      413:
        'The file is larger than ingest.max_upload_bytes (payload_too_large) or has more rows than ingest.max_rows_per_file ' +
        '(too_many_rows; nothing was written); or a text field is over ingest.max_field_bytes, or there are more than ingest.max_fields.',
      415: 'The request is not multipart/form-data.',
    }),
  );
}

/** A JSON batch of 1 to 1000 rows: a JSON body only, of at most ingest.max_batch_bytes, and its documented responses. */
export function ApiBatch(): MethodDecorator {
  return applyDecorators(
    UseGuards(RequireJsonGuard),
    BatchBodyLimit(),
    ApiIngestResponses(),
    ApiProblemResponses({
      400: 'The body is not a batch: rows missing, empty or over 1000, or an unknown mode.',
      413: 'The body is larger than ingest.max_batch_bytes (5 MiB by default).',
      415: 'The body is not application/json.',
    }),
  );
}

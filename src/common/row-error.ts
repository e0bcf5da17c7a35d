import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Stable identifiers of row-level failures; the README lists them. */
export const ROW_ERROR_CODES = [
  'invalid_integer',
  'out_of_range',
  'required',
  'too_long',
  'invalid_text',
  'invalid_date',
  'wrong_column_count',
  'unknown_field',
  'unknown_department',
  'unknown_job',
  'duplicate_id',
  'duplicate_name',
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

/** One violation on one row: where (line or row index, column), what, and why. */
export class RowError {
  @ApiPropertyOptional({ description: 'CSV: 1-based physical line the row starts on.', example: 3 })
  line?: number;

  @ApiPropertyOptional({ description: 'JSON batch: 0-based index in `rows`.', example: 0 })
  row?: number;

  @ApiProperty({ type: String, nullable: true, description: 'Canonical column, or null for the whole row.', example: 'hire_date' })
  column!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The offending value as received.', example: '2021-02-30' })
  value!: string | null;

  @ApiProperty({ enum: ROW_ERROR_CODES, example: 'invalid_date' })
  code!: RowErrorCode;

  @ApiProperty({ example: 'hire_date "2021-02-30" is not a valid ISO 8601 date or date-time' })
  message!: string;
}

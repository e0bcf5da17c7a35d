import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RowError } from './row-error';

/** RFC 9457 problem details, the body of every error (application/problem+json). */
export class ProblemDto {
  @ApiProperty({ example: '/problems/invalid_request', description: 'Stable problem type; the last segment is a code.' })
  type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'line 3: a quoted field is never closed (missing closing ")' }) detail!: string;
  @ApiProperty({ example: '/employees/upload' }) instance!: string;
  @ApiProperty({ example: 'req-1' }) request_id!: string;
  @ApiPropertyOptional({ description: 'Line of a file-level error (CSV).' }) line?: number;
  @ApiPropertyOptional({ description: 'Column of a file-level error.' }) column?: string;
  @ApiPropertyOptional({ description: 'The ingestion recorded for a failed upload.' }) ingestion_id?: number;
  @ApiPropertyOptional({
    type: [RowError],
    description: 'Per-row or per-field errors (row errors carry line/row, column, value, code, message).',
  })
  errors?: RowError[];
}

import { Type as NestType } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsObject, IsOptional, ValidationArguments } from 'class-validator';
import { INGEST_MODES, IngestMode } from '../../config/settings.schema';
import { DRY_RUN_DESCRIPTION } from './upload-options.dto';

export const MAX_BATCH_ROWS = 1000;

export interface BatchRequest {
  mode?: IngestMode;
  dry_run?: boolean;
  rows: Record<string, unknown>[];
}

/**
 * A batch envelope per table. The envelope is validated here (400); each
 * row's values go through the same compiled checks as CSV rows (422 with the
 * row index), so both paths report identical codes.
 */
export function BatchRequestOf(row: NestType<unknown>, name: string): NestType<BatchRequest> {
  class BatchRequestClass implements BatchRequest {
    @ApiPropertyOptional({ enum: INGEST_MODES, description: 'Default from config/settings.yaml (ingest.default_mode).' })
    @IsOptional()
    @IsIn(INGEST_MODES)
    mode?: IngestMode;

    // No `default` in the schema: generators would make the field required in request bodies.
    @ApiPropertyOptional({ type: Boolean, description: `${DRY_RUN_DESCRIPTION} Default false.` })
    @IsOptional()
    @IsBoolean()
    dry_run?: boolean;

    @ApiProperty({ type: [row], minItems: 1, maxItems: MAX_BATCH_ROWS, description: 'All rows are written, or none.' })
    @IsArray()
    @ArrayMinSize(1, { message: 'rows must contain at least 1 row' })
    @ArrayMaxSize(MAX_BATCH_ROWS, {
      message: (args: ValidationArguments) =>
        `rows must contain at most ${MAX_BATCH_ROWS} rows${Array.isArray(args.value) ? ` (got ${args.value.length})` : ''}; split the batch`,
    })
    @IsObject({ each: true, message: 'each element of rows must be an object' })
    rows!: Record<string, unknown>[];
  }
  Object.defineProperty(BatchRequestClass, 'name', { value: name });
  return BatchRequestClass;
}

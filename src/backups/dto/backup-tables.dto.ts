import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional } from 'class-validator';
import { TABLE_NAMES, TableName } from '../../common/tables';

/** An optional list of distinct table names, documented and validated. */
export function TableList(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: TABLE_NAMES, isArray: true, description }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayUnique(),
    IsIn(TABLE_NAMES, { each: true }),
  );
}

/** The body of POST /backups: which tables to back up. */
export class CreateBackupDto {
  @TableList('The tables to back up, each once. Default: all three.')
  tables?: TableName[];
}

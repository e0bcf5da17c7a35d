import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ApiProblem } from '../common/api-problem';
import { TABLE_NAMES, TableName, isTableName } from '../common/tables';

/** A table named in a path: one of the three, or a 400 (so no path segment ever reaches a file name). */
@Injectable()
export class ParseTablePipe implements PipeTransform<unknown, TableName> {
  transform(value: unknown): TableName {
    if (!isTableName(value)) {
      throw new ApiProblem(400, 'invalid_table', `table must be one of ${TABLE_NAMES.join(', ')} (got "${String(value).slice(0, 64)}")`);
    }
    return value;
  }
}

export function ApiTableParam(): MethodDecorator {
  return ApiParam({ name: 'table', required: true, enum: TABLE_NAMES });
}

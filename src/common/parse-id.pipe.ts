import { ApiParam } from '@nestjs/swagger';
import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiProblem } from './api-problem';
import { MAX_ID } from './tables';

/** Path ids are positive 32-bit integers; anything else is a 400 in the shared shape. */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    const id = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(id >= 1 && id <= MAX_ID)) {
      throw new ApiProblem(400, 'invalid_id', `id must be an integer between 1 and ${MAX_ID} (got "${String(value)}")`);
    }
    return id;
  }
}

/** Documents the `id` path parameter as ParseIdPipe reads it (Nest alone would say "number"). */
export function ApiIdParam(): MethodDecorator {
  return ApiParam({ name: 'id', required: true, schema: { type: 'integer', minimum: 1, maximum: MAX_ID } });
}

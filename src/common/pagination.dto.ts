import { Type as NestType } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_ID } from './tables';

export const MAX_PAGE_SIZE = 1000;
/** Offsets stay within what both databases take as an integer parameter. */
export const MAX_OFFSET = MAX_ID;

export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 100, description: 'Rows per page.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 100;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0, description: 'Rows to skip (ordered by id).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset: number = 0;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** A named page class per item type, so the OpenAPI document has one schema each. */
export function PageOf<T>(item: NestType<T>, name: string): NestType<Page<T>> {
  class PageClass implements Page<T> {
    @ApiProperty({ type: [item] }) items!: T[];
    @ApiProperty({ type: 'integer', description: 'Rows matching the filters.' }) total!: number;
    @ApiProperty({ type: 'integer' }) limit!: number;
    @ApiProperty({ type: 'integer' }) offset!: number;
  }
  Object.defineProperty(PageClass, 'name', { value: name });
  return PageClass;
}

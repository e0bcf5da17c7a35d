import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { DepartmentJobFilterDto } from '../../common/department-job-filter.dto';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, Matches } from 'class-validator';

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;
export const OUTPUT_FORMATS = ['json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export class MetricsQueryDto {
  @ApiPropertyOptional({
    description: `Four-digit year, ${MIN_YEAR}–${MAX_YEAR}. Default: the most recent year that has hires (UTC).`,
    example: '2021',
    pattern: '^\\d{4}$',
  })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'year must be a 4-digit integer' })
  @Type(() => String)
  year?: string;

  @ApiPropertyOptional({ enum: OUTPUT_FORMATS, description: 'csv is the same as sending Accept: text/csv.' })
  @IsOptional()
  @IsIn(OUTPUT_FORMATS)
  format?: OutputFormat;
}

export class HiringByQuarterQueryDto extends IntersectionType(MetricsQueryDto, DepartmentJobFilterDto) {}

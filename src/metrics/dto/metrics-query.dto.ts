import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { DepartmentJobFilterDto } from '../../common/department-job-filter.dto';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, Matches, ValidateBy } from 'class-validator';

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;
export const OUTPUT_FORMATS = ['json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

function IsYearInRange(): PropertyDecorator {
  return ValidateBy({
    name: 'isYearInRange',
    validator: {
      // Only a four-digit year is compared; @Matches reports any other form.
      validate: (value: unknown) => !/^\d{4}$/.test(String(value)) || (Number(value) >= MIN_YEAR && Number(value) <= MAX_YEAR),
      defaultMessage: () => `year must be between ${MIN_YEAR} and ${MAX_YEAR}`,
    },
  });
}

export class MetricsQueryDto {
  @ApiPropertyOptional({
    // On the wire a query value is text; clients pass the year as an integer, validated as four digits.
    type: 'integer',
    minimum: MIN_YEAR,
    maximum: MAX_YEAR,
    description: `Four-digit year, ${MIN_YEAR}–${MAX_YEAR}. Default: the most recent year that has hires (UTC).`,
    example: 2021,
  })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'year must be a 4-digit integer' })
  @IsYearInRange()
  @Type(() => String)
  year?: string;

  @ApiPropertyOptional({ enum: OUTPUT_FORMATS, description: 'csv is the same as sending Accept: text/csv.' })
  @IsOptional()
  @IsIn(OUTPUT_FORMATS)
  format?: OutputFormat;
}

export class HiringByQuarterQueryDto extends IntersectionType(MetricsQueryDto, DepartmentJobFilterDto) {}

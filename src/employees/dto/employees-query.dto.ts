import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsIsoInstant } from '../../common/is-iso-instant.decorator';
import { PageQueryDto } from '../../common/pagination.dto';

export class EmployeesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, description: 'Only employees of this department.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2147483647)
  department_id?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Only employees with this job.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2147483647)
  job_id?: number;

  @ApiPropertyOptional({ example: '2021-01-01', description: 'Hired at or after this ISO 8601 date or date-time.' })
  @IsOptional()
  @IsIsoInstant()
  hired_from?: string;

  @ApiPropertyOptional({
    example: '2021-12-31',
    description: 'Hired at or before this ISO 8601 date-time; a date alone includes that whole day (UTC).',
  })
  @IsOptional()
  @IsIsoInstant()
  hired_to?: string;
}

import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { DepartmentJobFilterDto } from '../../common/department-job-filter.dto';
import { IsIsoInstant } from '../../common/is-iso-instant.decorator';
import { PageQueryDto } from '../../common/pagination.dto';

export class EmployeesQueryDto extends IntersectionType(PageQueryDto, DepartmentJobFilterDto) {
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

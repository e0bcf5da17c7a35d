import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The department and job filters shared by the employee list and the quarter metrics. */
export class DepartmentJobFilterDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 2147483647, description: 'Only this department.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2147483647)
  department_id?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 2147483647, description: 'Only this job.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2147483647)
  job_id?: number;
}

import { ApiProperty } from '@nestjs/swagger';
import { BatchRequestOf } from '../../ingest/dto/batch-request.dto';
import { PageOf } from '../../common/pagination.dto';
import { Employee } from '../entities/employee.entity';
import { MAX_ID } from '../../common/tables';

export class EmployeeDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ID, example: 4535 }) id!: number;
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Marcelo Gonzalez' }) name!: string;
  @ApiProperty({
    format: 'date-time',
    example: '2021-07-27T16:02:08.000Z',
    description: 'ISO 8601. Input: a date (midnight UTC) or a date-time; without an offset it is read as UTC. Output: UTC.',
  })
  hire_date!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ID, example: 1 }) department_id!: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ID, example: 2 }) job_id!: number;

  static from(employee: Employee): EmployeeDto {
    return {
      id: employee.id,
      name: employee.name,
      hire_date: employee.hireDate,
      department_id: employee.departmentId,
      job_id: employee.jobId,
    };
  }
}

export class EmployeesBatchDto extends BatchRequestOf(EmployeeDto, 'EmployeesBatch') {}
export class EmployeePageDto extends PageOf(EmployeeDto, 'EmployeePage') {}

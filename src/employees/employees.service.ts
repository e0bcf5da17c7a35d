import { Injectable } from '@nestjs/common';
import { parseIsoInstant } from '../common/iso-instant';
import { found } from '../common/not-found';
import { Page } from '../common/pagination.dto';
import { EmployeeDto } from './dto/employee.dto';
import { EmployeesQueryDto } from './dto/employees-query.dto';
import { EmployeeFilter, EmployeesRepository } from './employees.repository';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

@Injectable()
export class EmployeesService {
  constructor(private readonly employees: EmployeesRepository) {}

  async list(query: EmployeesQueryDto): Promise<Page<EmployeeDto>> {
    const [rows, total] = await this.employees.findPage(toFilter(query), query);
    return { items: rows.map(EmployeeDto.from), total, limit: query.limit, offset: query.offset };
  }

  async get(id: number): Promise<EmployeeDto> {
    return EmployeeDto.from(found(await this.employees.findById(id), 'employee', id));
  }
}

function toFilter(query: EmployeesQueryDto): EmployeeFilter {
  return {
    departmentId: query.department_id,
    jobId: query.job_id,
    hiredFrom: query.hired_from === undefined ? undefined : (parseIsoInstant(query.hired_from) as string),
    hiredBefore: query.hired_to === undefined ? undefined : exclusiveUpperBound(query.hired_to),
  };
}

/** hired_to is inclusive: a whole day for a date, the instant itself (plus 1 ms) for a date-time. */
function exclusiveUpperBound(hiredTo: string): string {
  const instant = Date.parse(parseIsoInstant(hiredTo) as string);
  return new Date(instant + (DATE_ONLY.test(hiredTo.trim()) ? DAY_MS : 1)).toISOString();
}

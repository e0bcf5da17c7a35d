import { Injectable } from '@nestjs/common';
import { parseIsoInstant } from '../common/iso-instant';
import { found } from '../common/not-found';
import { Page } from '../common/pagination.dto';
import { EmployeeDto } from './dto/employee.dto';
import { EmployeesQueryDto } from './dto/employees-query.dto';
import { EmployeeFilter, EmployeesRepository } from './employees.repository';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

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
    hiredUntil: query.hired_to === undefined ? undefined : inclusiveUpperBound(query.hired_to),
  };
}

/**
 * hired_to is inclusive: a date alone reaches its last millisecond (instants
 * are stored to the millisecond), a date-time is taken as it is. Never a
 * bound past year 9999.
 */
function inclusiveUpperBound(hiredTo: string): string {
  const instant = parseIsoInstant(hiredTo) as string;
  return DATE_ONLY.test(hiredTo.trim()) ? instant.replace('T00:00:00.000Z', 'T23:59:59.999Z') : instant;
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PageQueryDto } from '../common/pagination.dto';
import { Employee } from './entities/employee.entity';

export interface EmployeeFilter {
  readonly departmentId?: number;
  readonly jobId?: number;
  /** Inclusive lower bound, ISO 8601 UTC. */
  readonly hiredFrom?: string;
  /** Inclusive upper bound, ISO 8601 UTC. */
  readonly hiredUntil?: string;
}

@Injectable()
export class EmployeesRepository {
  constructor(@InjectRepository(Employee) private readonly employees: Repository<Employee>) {}

  findPage(filter: EmployeeFilter, page: PageQueryDto): Promise<[Employee[], number]> {
    const query = this.employees.createQueryBuilder('e').orderBy('e.id', 'ASC').take(page.limit).skip(page.offset);
    if (filter.departmentId !== undefined) query.andWhere('e.department_id = :departmentId', filter);
    if (filter.jobId !== undefined) query.andWhere('e.job_id = :jobId', filter);
    // Bounds compare against the column itself (timestamptz, or fixed-width UTC text on SQLite) so the index applies.
    if (filter.hiredFrom !== undefined) query.andWhere('e.hire_date >= :hiredFrom', filter);
    if (filter.hiredUntil !== undefined) query.andWhere('e.hire_date <= :hiredUntil', filter);
    return query.getManyAndCount();
  }

  findById(id: number): Promise<Employee | null> {
    return this.employees.findOneBy({ id });
  }
}

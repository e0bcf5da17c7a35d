import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PageQueryDto } from '../common/pagination.dto';
import { Department } from './entities/department.entity';

@Injectable()
export class DepartmentsRepository {
  constructor(@InjectRepository(Department) private readonly departments: Repository<Department>) {}

  findPage(page: PageQueryDto): Promise<[Department[], number]> {
    return this.departments.findAndCount({ order: { id: 'ASC' }, take: page.limit, skip: page.offset });
  }

  findById(id: number): Promise<Department | null> {
    return this.departments.findOneBy({ id });
  }
}

import { Injectable } from '@nestjs/common';
import { found } from '../common/not-found';
import { Page, PageQueryDto } from '../common/pagination.dto';
import { DepartmentsRepository } from './departments.repository';
import { DepartmentDto } from './dto/department.dto';

@Injectable()
export class DepartmentsService {
  constructor(private readonly departments: DepartmentsRepository) {}

  async list(page: PageQueryDto): Promise<Page<DepartmentDto>> {
    const [items, total] = await this.departments.findPage(page);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  async get(id: number): Promise<DepartmentDto> {
    return found(await this.departments.findById(id), 'department', id);
  }
}

import { Injectable } from '@nestjs/common';
import { found } from '../common/not-found';
import { Page, PageQueryDto } from '../common/pagination.dto';
import { JobsRepository } from './jobs.repository';
import { JobDto } from './dto/job.dto';

@Injectable()
export class JobsService {
  constructor(private readonly jobs: JobsRepository) {}

  async list(page: PageQueryDto): Promise<Page<JobDto>> {
    const [items, total] = await this.jobs.findPage(page);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  async get(id: number): Promise<JobDto> {
    return found(await this.jobs.findById(id), 'job', id);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PageQueryDto } from '../common/pagination.dto';
import { Job } from './entities/job.entity';

@Injectable()
export class JobsRepository {
  constructor(@InjectRepository(Job) private readonly jobs: Repository<Job>) {}

  findPage(page: PageQueryDto): Promise<[Job[], number]> {
    return this.jobs.findAndCount({ order: { id: 'ASC' }, take: page.limit, skip: page.offset });
  }

  findById(id: number): Promise<Job | null> {
    return this.jobs.findOneBy({ id });
  }
}

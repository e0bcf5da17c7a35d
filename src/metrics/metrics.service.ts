import { Injectable } from '@nestjs/common';
import { HiringByQuarterQueryDto, MetricsQueryDto } from './dto/metrics-query.dto';
import { AboveMeanRow, MetricsRepository, QuarterRow } from './metrics.repository';

export interface MetricResult<T> {
  /** The year answered, or null when there are no hires at all. */
  year: number | null;
  rows: T[];
}

@Injectable()
export class MetricsService {
  constructor(private readonly metrics: MetricsRepository) {}

  async hiringByQuarter(query: HiringByQuarterQueryDto): Promise<MetricResult<QuarterRow>> {
    const year = await this.resolveYear(query);
    if (year === null) return { year, rows: [] };
    return { year, rows: await this.metrics.hiringByQuarter(year, { departmentId: query.department_id, jobId: query.job_id }) };
  }

  async departmentsAboveMean(query: MetricsQueryDto): Promise<MetricResult<AboveMeanRow>> {
    const year = await this.resolveYear(query);
    if (year === null) return { year, rows: [] };
    return { year, rows: await this.metrics.departmentsAboveMean(year) };
  }

  private async resolveYear(query: MetricsQueryDto): Promise<number | null> {
    // The query DTO has checked the year's form and range.
    return query.year === undefined ? this.metrics.latestHireYear() : Number(query.year);
  }
}

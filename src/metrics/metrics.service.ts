import { Injectable } from '@nestjs/common';
import { ApiProblem } from '../common/api-problem';
import { HiringByQuarterQueryDto, MAX_YEAR, MIN_YEAR, MetricsQueryDto } from './dto/metrics-query.dto';
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
    if (query.year === undefined) return this.metrics.latestHireYear();
    const year = Number(query.year);
    if (year < MIN_YEAR || year > MAX_YEAR) {
      throw new ApiProblem(400, 'invalid_request', `year must be between ${MIN_YEAR} and ${MAX_YEAR} (got ${query.year})`, {
        errors: [{ column: 'year', value: query.year, message: `year must be between ${MIN_YEAR} and ${MAX_YEAR}` }],
      });
    }
    return year;
  }
}

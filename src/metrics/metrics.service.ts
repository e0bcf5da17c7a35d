import { Injectable } from '@nestjs/common';
import { HiringByQuarterQueryDto, MetricsQueryDto } from './dto/metrics-query.dto';
import { AboveMeanRow, MetricsRepository, QuarterRow } from './metrics.repository';

/** The mean departments_above_mean compared with, so a chart can draw it: the exact parts and the quotient. */
export function meanHeaders(hires: number, departments: number): Record<string, string> {
  const mean = departments === 0 ? 0 : hires / departments;
  return {
    'x-metrics-hires': String(hires),
    'x-metrics-departments': String(departments),
    'x-metrics-mean': String(Math.round(mean * 1e6) / 1e6),
  };
}

export interface MetricResult<T> {
  /** The year answered, or null when there are no hires at all. */
  year: number | null;
  rows: T[];
  /** Response headers that describe the answer (e.g. the mean it was compared with). */
  headers?: Record<string, string>;
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
    const { rows, hires, departments } = await this.metrics.departmentsAboveMean(year);
    return { year, rows, headers: meanHeaders(hires, departments) };
  }

  private async resolveYear(query: MetricsQueryDto): Promise<number | null> {
    // The query DTO has checked the year's form and range.
    return query.year === undefined ? this.metrics.latestHireYear() : Number(query.year);
  }
}

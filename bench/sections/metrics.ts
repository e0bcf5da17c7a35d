import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { MetricsRepository } from '../../src/metrics/metrics.repository';
import { timedGet } from '../lib/http';
import { Figure, percentile } from '../lib/report';

const YEAR = 2021;

async function sample(times: number, work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await work(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Each metric through HTTP against the same SQL run directly (the repository on its own connection). */
export async function benchMetrics(label: string, baseUrl: string, databaseUrl: string, times: number): Promise<Figure[]> {
  const dataSource = await new DataSource(buildDataSourceOptions(databaseUrl)).initialize();
  const direct = new MetricsRepository(dataSource);
  try {
    const cases = [
      { name: 'hiring_by_quarter', http: `/metrics/hiring_by_quarter?year=${YEAR}`, sql: () => direct.hiringByQuarter(YEAR, {}) },
      { name: 'departments_above_mean', http: `/metrics/departments_above_mean?year=${YEAR}`, sql: () => direct.departmentsAboveMean(YEAR) },
    ];
    const figures: Figure[] = [];
    for (const metric of cases) {
      const http = await sample(times, () => timedGet(baseUrl + metric.http));
      const sql = await sample(times, metric.sql);
      figures.push(
        { figure: `${label}: ${metric.name} p50 (vs SQL direct)`, ours: percentile(http, 50), baseline: percentile(sql, 50), unit: 'ms' },
        { figure: `${label}: ${metric.name} p95 (vs SQL direct)`, ours: percentile(http, 95), baseline: percentile(sql, 95), unit: 'ms', target: '<= 1.2' },
      );
    }
    return figures;
  } finally {
    await dataSource.destroy();
  }
}

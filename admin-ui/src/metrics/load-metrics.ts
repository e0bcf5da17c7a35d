import { api, call, type Result } from '../api/client';
import type { DepartmentHires, QuarterHires } from '../api/types';

export interface Metrics {
  /** The year answered (X-Metrics-Year): without one asked, the latest year with hires. */
  readonly year: number | null;
  readonly quarters: QuarterHires[];
  readonly aboveMean: DepartmentHires[];
  /** The mean departments_above_mean compared with, as the service answered it (X-Metrics-*). */
  readonly mean: Mean;
}

export interface Mean {
  readonly value: number;
  readonly hires: number;
  readonly departments: number;
}

/** The mean and its parts from departments_above_mean's headers (computed in the same statement as its list). */
export function meanOf(headers: Headers): Mean {
  const number = (name: string): number => {
    const value = Number(headers.get(name));
    return Number.isFinite(value) ? value : 0;
  };
  return { value: number('x-metrics-mean'), hires: number('x-metrics-hires'), departments: number('x-metrics-departments') };
}

/** JSON rows of a metrics answer (the operation also documents CSV: this call asked for JSON). */
function rows<T>(data: T[] | string): T[] {
  return typeof data === 'string' ? [] : data;
}

/** Both metrics of a year (or of the server's default year). */
export async function loadMetrics(year: number | null): Promise<Result<Metrics>> {
  const query = year === null ? {} : { year };
  const [quarters, aboveMean] = await Promise.all([
    call(() => api.GET('/metrics/hiring_by_quarter', { params: { query } })),
    call(() => api.GET('/metrics/departments_above_mean', { params: { query } })),
  ]);
  if (!quarters.ok) return quarters;
  if (!aboveMean.ok) return aboveMean;
  const answered = Number(quarters.response.headers.get('x-metrics-year'));
  return {
    ok: true,
    response: quarters.response,
    data: {
      year: Number.isInteger(answered) && answered > 0 ? answered : year,
      quarters: rows(quarters.data),
      aboveMean: rows(aboveMean.data),
      mean: meanOf(aboveMean.response.headers),
    },
  };
}

/** A metric as CSV (format=csv), to save as a file. */
export function metricsCsv(metric: 'hiring_by_quarter' | 'departments_above_mean', year: number) {
  const params = { params: { query: { year, format: 'csv' as const } }, parseAs: 'blob' as const };
  return metric === 'hiring_by_quarter'
    ? call(() => api.GET('/metrics/hiring_by_quarter', params))
    : call(() => api.GET('/metrics/departments_above_mean', params));
}

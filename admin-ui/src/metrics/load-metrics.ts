import { api, call, type Result } from '../api/client';
import type { DepartmentHires, QuarterHires } from '../api/types';

export interface Metrics {
  /** The year answered (X-Metrics-Year): without one asked, the latest year with hires. */
  readonly year: number | null;
  readonly quarters: QuarterHires[];
  readonly aboveMean: DepartmentHires[];
  readonly departmentCount: number;
}

/** JSON rows of a metrics answer (the operation also documents CSV: this call asked for JSON). */
function rows<T>(data: T[] | string): T[] {
  return typeof data === 'string' ? [] : data;
}

/** Both metrics of a year (or of the server's default year), and the department count the mean is over. */
export async function loadMetrics(year: number | null): Promise<Result<Metrics>> {
  const query = year === null ? {} : { year };
  const [quarters, aboveMean, departments] = await Promise.all([
    call(() => api.GET('/metrics/hiring_by_quarter', { params: { query } })),
    call(() => api.GET('/metrics/departments_above_mean', { params: { query } })),
    call(() => api.GET('/departments', { params: { query: { limit: 1 } } })),
  ]);
  if (!quarters.ok) return quarters;
  if (!aboveMean.ok) return aboveMean;
  if (!departments.ok) return departments;
  const answered = Number(quarters.response.headers.get('x-metrics-year'));
  return {
    ok: true,
    response: quarters.response,
    data: {
      year: Number.isInteger(answered) && answered > 0 ? answered : year,
      quarters: rows(quarters.data),
      aboveMean: rows(aboveMean.data),
      departmentCount: departments.data.total,
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

import type { QuarterHires } from '../api/types';

export const QUARTERS = ['Q1', 'Q2', 'Q3', 'Q4'] as const;

export interface DepartmentQuarters {
  readonly department: string;
  /** Hires in Q1..Q4, summed over the department's jobs. */
  readonly quarters: readonly [number, number, number, number];
  readonly total: number;
}

/**
 * hiring_by_quarter has a row per department and job; the chart has a bar per
 * department, its quarters summed over its jobs, in the server's order
 * (department names as the API sorts them, identically on both databases).
 */
export function byDepartment(rows: readonly QuarterHires[]): DepartmentQuarters[] {
  const sums = new Map<string, [number, number, number, number]>();
  for (const row of rows) {
    const sum = sums.get(row.department) ?? [0, 0, 0, 0];
    QUARTERS.forEach((q, i) => (sum[i] += row[q]));
    sums.set(row.department, sum);
  }
  return [...sums].map(([department, quarters]) => ({ department, quarters, total: quarters.reduce((a, b) => a + b, 0) }));
}

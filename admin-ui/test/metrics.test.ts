import { describe, expect, it } from 'vitest';
import { byDepartment } from '../src/metrics/by-department';
import { meanOf } from '../src/metrics/load-metrics';

const row = (department: string, job: string, q: [number, number, number, number]) => ({ department, job, Q1: q[0], Q2: q[1], Q3: q[2], Q4: q[3] });

describe('byDepartment', () => {
  it('sums each department over its jobs, one entry per department in the order given', () => {
    const rows = [row('Marketing', 'Assistant', [0, 0, 1, 0]), row('Marketing', 'Manager', [0, 0, 0, 1]), row('Sales', 'VP', [1, 2, 0, 0])];
    expect(byDepartment(rows)).toEqual([
      { department: 'Marketing', quarters: [0, 0, 1, 1], total: 2 },
      { department: 'Sales', quarters: [1, 2, 0, 0], total: 3 },
    ]);
  });
  it('is empty without rows', () => expect(byDepartment([])).toEqual([]));
});

describe('meanOf', () => {
  it('reads the mean and its parts from the X-Metrics-* headers', () => {
    const headers = new Headers({ 'x-metrics-mean': '0.916667', 'x-metrics-hires': '11', 'x-metrics-departments': '12' });
    expect(meanOf(headers)).toEqual({ value: 0.916667, hires: 11, departments: 12 });
  });
  it('is 0 where a header is missing (no year answered)', () => expect(meanOf(new Headers())).toEqual({ value: 0, hires: 0, departments: 0 }));
});

import { describe, expect, it } from 'vitest';
import { byDepartment, meanHires } from '../src/metrics/by-department';

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

describe('meanHires', () => {
  it('divides the year\'s hires by every department in the table, as the API does', () => {
    // 11 hires, 12 departments: a department without hires counts as 0.
    expect(meanHires([row('A', 'x', [1, 4, 2, 1]), row('B', 'y', [0, 1, 1, 1])], 12)).toBeCloseTo(11 / 12);
  });
  it('is 0 without departments', () => expect(meanHires([row('A', 'x', [1, 0, 0, 0])], 0)).toBe(0));
});

import { RowError } from '../../common/row-error';
import { IngestRun } from './ingest-run';

const error = (line: number): RowError => ({ line, column: 'name', value: '', code: 'required', message: 'name is required' });

describe(IngestRun.name, () => {
  it('without a budget keeps counting and keeping rejects up to maxKept', () => {
    const run = new IngestRun(2);
    [3, 4, 5].forEach((line) => run.reject([error(line)], [String(line)]));
    expect(run.counts.rejected).toBe(3);
    expect(run.kept.map((k) => k.error.line)).toEqual([3, 4]);
    expect(run.errorsTruncated).toBe(true);
    expect(run.overBudgetAt).toBeNull();
  });

  it('past the error budget marks where it ran out, keeps the first N rows and counts no further', () => {
    const run = new IngestRun(1000, 2);
    [3, 4, 5, 6].forEach((line) => run.reject([error(line)], [String(line)]));
    expect(run.overBudgetAt?.line).toBe(5);
    expect(run.kept.map((k) => k.error.line)).toEqual([3, 4]);
    expect(run.counts.rejected).toBe(3);
  });

  it('a budget of 0 runs out at the first reject', () => {
    const run = new IngestRun(1000, 0);
    run.reject([error(7)], ['7']);
    expect(run.overBudgetAt?.line).toBe(7);
    expect(run.kept).toEqual([]);
  });
});

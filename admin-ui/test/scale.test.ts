import { describe, expect, it } from 'vitest';
import { percentOfMax, stackSegments } from '../src/chart/scale';

describe('chart scale', () => {
  it('scales to the largest value, leaving room on the right', () => {
    expect(percentOfMax(10, 10)).toBeCloseTo(94);
    expect(percentOfMax(5, 10)).toBeCloseTo(47);
    expect(percentOfMax(0, 10)).toBe(0);
    expect(percentOfMax(3, 0)).toBe(0);
  });

  it('stacks segments end to end', () => {
    const segments = stackSegments([1, 0, 3], 4);
    expect(segments.map((s) => s.start)).toEqual([0, percentOfMax(1, 4), percentOfMax(1, 4)]);
    expect(segments[2].start + segments[2].length).toBeCloseTo(94);
  });
});

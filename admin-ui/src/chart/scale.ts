/** Bars end short of the right edge, so the longest one still leaves room for the mean's label. */
const USABLE = 0.94;

/** A value's length as a percentage of the chart's width, against the largest value shown. */
export function percentOfMax(value: number, max: number): number {
  if (max <= 0 || value <= 0) return 0;
  return (Math.min(value, max) / max) * 100 * USABLE;
}

/** Where each segment of a stacked bar starts and how long it is, in percent of the width. */
export function stackSegments(values: readonly number[], max: number): { start: number; length: number }[] {
  let start = 0;
  return values.map((value) => {
    const length = percentOfMax(value, max);
    const segment = { start, length };
    start += length;
    return segment;
  });
}

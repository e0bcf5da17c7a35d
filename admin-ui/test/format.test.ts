import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, percentOf } from '../src/lib/format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.50 KiB'],
    [10 * 1024 * 1024, '10.0 MiB'],
    [2 * 1024 ** 3, '2.00 GiB'],
    [-1, '–'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('percentOf', () => {
  it('is whole percent of the total', () => {
    expect(percentOf(0, 200)).toBe(0);
    expect(percentOf(50, 200)).toBe(25);
  });
  it('never says 100 before the last byte, and 100 at it', () => {
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
  });
  it('is 0 for an empty total rather than NaN', () => expect(percentOf(0, 0)).toBe(0));
});

describe('formatDuration', () => {
  it.each([
    [null, '–'],
    [17, '17 ms'],
    [1500, '1.5 s'],
    [125_000, '2 min 5 s'],
  ])('%s → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

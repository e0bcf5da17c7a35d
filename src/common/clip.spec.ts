import { MAX_ECHOED_CHARS, clip } from './clip';

describe(clip.name, () => {
  it('keeps text up to the limit as it is', () => {
    expect(clip('x'.repeat(MAX_ECHOED_CHARS))).toBe('x'.repeat(MAX_ECHOED_CHARS));
    expect(clip('abc', 3)).toBe('abc');
  });

  it('cuts longer text and says how long it was', () => {
    expect(clip('abcdef', 3)).toBe('abc… (6 characters)');
    expect(clip('y'.repeat(3_000_000))).toHaveLength(MAX_ECHOED_CHARS + ' (3000000 characters)'.length + 1);
  });
});

import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

/** An array nested `depth` deep around 1. */
function nested(depth: number): unknown {
  return JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`);
}

describe(nestsDeeperThan.name, () => {
  it('counts arrays and objects as levels, scalars as none', () => {
    expect(nestsDeeperThan(1, 0)).toBe(false);
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ rows: [{ id: 1, name: 'x' }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ rows: [{ id: 1, name: ['x'] }] }, 3)).toBe(true);
  });

  it('answers exactly at the limit', () => {
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('walks a body nested far past the stack without overflowing it', () => {
    expect(nestsDeeperThan(nested(500_000), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(JSON.parse(`${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`), MAX_JSON_DEPTH)).toBe(true);
  });
});

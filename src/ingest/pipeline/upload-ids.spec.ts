import { MAX_ID } from '../../common/tables';
import { UploadIds } from './upload-ids';

describe(UploadIds.name, () => {
  let ids: UploadIds;
  beforeEach(() => {
    ids = new UploadIds();
  });
  afterEach(() => {
    ids.dispose();
  });

  it('tells the first time an id comes from every later time', () => {
    expect([7, 3, 7, 7, 3, 8].map((id) => ids.firstTime(id))).toEqual([true, true, false, false, false, true]);
    expect([3, 7, 8, 9].map((id) => ids.has(id))).toEqual([true, true, true, false]);
  });

  it('forgets an id whose row was rejected after all, so its next row comes first', () => {
    ids.firstTime(5);
    ids.forget(5);
    expect(ids.has(5)).toBe(false);
    expect(ids.firstTime(5)).toBe(true);
  });

  it('holds every id a row may have, from 1 to MAX_ID', () => {
    expect(ids.firstTime(1)).toBe(true);
    expect(ids.firstTime(MAX_ID)).toBe(true);
    expect(ids.firstTime(MAX_ID - 1)).toBe(true);
    expect([1, MAX_ID, MAX_ID - 1, 2].map((id) => ids.has(id))).toEqual([true, true, true, false]);
  });

  it('keeps many ids apart, sequential and scattered', () => {
    for (let id = 1; id <= 1_000_000; id++) ids.firstTime(id);
    for (let id = 1; id <= 100_000; id++) ids.firstTime(MAX_ID - id * 2039);
    expect(ids.firstTime(500_000)).toBe(false);
    expect(ids.firstTime(1_000_001)).toBe(true);
    expect(ids.firstTime(MAX_ID - 2039 * 777)).toBe(false);
    expect(ids.firstTime(MAX_ID - 2039 * 777 + 1)).toBe(true);
  });

  it('may be disposed more than once (the pipeline disposes in finally, whatever happened)', () => {
    ids.firstTime(1);
    ids.dispose();
    expect(() => ids.dispose()).not.toThrow();
  });
});

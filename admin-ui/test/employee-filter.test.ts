import { describe, expect, it } from 'vitest';
import { filterFromFields } from '../src/data/EmployeeFilters';

describe('filterFromFields', () => {
  it('leaves empty fields out, so they filter nothing', () => {
    expect(filterFromFields({ department_id: '', job_id: ' ', hired_from: '', hired_to: '' })).toEqual({});
  });
  it('takes ids as numbers and dates as typed', () => {
    expect(filterFromFields({ department_id: '3', job_id: '12', hired_from: '2021-01-01', hired_to: '2021-12-31' })).toEqual({
      department_id: 3,
      job_id: 12,
      hired_from: '2021-01-01',
      hired_to: '2021-12-31',
    });
  });
  it('drops an id that is not a whole number rather than sending it', () => {
    expect(filterFromFields({ department_id: '1.5', job_id: '-2', hired_from: '', hired_to: '' })).toEqual({});
  });
});

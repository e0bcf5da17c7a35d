import { describe, expect, it } from 'vitest';
import { firstLineOf, inferTable } from '../src/upload/infer-table';

describe('inferTable', () => {
  it('takes 5 columns for employees, with or without a header', () => {
    expect(inferTable('x.csv', '1,Liam Hazlewood,2021-03-13T20:03:04Z,6,10').table).toBe('employees');
    expect(inferTable('x.csv', 'id,name,datetime,department_id,job_id').table).toBe('employees');
  });

  it('tells departments from jobs by a header cell', () => {
    expect(inferTable('export.csv', 'id,department')).toMatchObject({ table: 'departments' });
    expect(inferTable('export.csv', 'id;job')).toMatchObject({ table: 'jobs' });
  });

  it('falls back to the file name for a legacy file without a header', () => {
    expect(inferTable('departments.csv', '1,Product Management')).toMatchObject({ table: 'departments' });
    expect(inferTable('jobs.csv', '1,Marketing Assistant')).toMatchObject({ table: 'jobs' });
  });

  it('asks when it cannot tell', () => {
    expect(inferTable('data.csv', '1,Sales')).toMatchObject({ table: null, reason: expect.stringContaining('Choose the table') });
    expect(inferTable('data.csv', 'just one cell').table).toBeNull();
  });

  it('reads past a byte order mark and other delimiters', () => {
    expect(inferTable('x.csv', '\uFEFFid\tdepartment').table).toBe('departments');
    expect(inferTable('x.csv', '1|a|2021-01-01|1|1').table).toBe('employees');
  });
});

describe('firstLineOf', () => {
  it('reads only the first line, whatever the line endings', async () => {
    await expect(firstLineOf(new Blob(['id,department\r\n1,Sales\r\n']))).resolves.toBe('id,department');
    await expect(firstLineOf(new Blob(['a,b\n1,2']))).resolves.toBe('a,b');
    await expect(firstLineOf(new Blob(['']))).resolves.toBe('');
  });
});

import 'reflect-metadata';
import { resolve } from 'node:path';
import { ApiProblem } from '../../common/api-problem';
import { HeaderMappings } from '../../config/app-config';
import { loadConfig } from '../../config/load-config';
import { inferTable } from './table-inference';

const CONFIG_DIR = resolve(__dirname, '../../../config');

describe(inferTable.name, () => {
  let mappings: HeaderMappings;
  beforeAll(() => {
    mappings = loadConfig({ CONFIG_DIR }).headerMappings;
  });

  const infer = (line: string, fileName = 'upload.csv', option: 'auto' | 'true' | 'false' = 'auto') => inferTable(line.split(','), option, mappings, fileName);
  function refusal(line: string, fileName = 'upload.csv'): ApiProblem {
    try {
      infer(line, fileName);
    } catch (error) {
      expect(error).toBeInstanceOf(ApiProblem);
      return error as ApiProblem;
    }
    throw new Error(`expected ${line} to be refused`);
  }

  it.each([
    ['id,name,hire_date,department_id,job_id', 'employees'],
    ['Emp ID, Full Name ,datetime,DEPT_ID,job', 'employees'],
    ['department_id,department', 'departments'],
    ['dept_id,dept_name', 'departments'],
    ['job_id,job_title', 'jobs'],
    ['title,id', 'jobs'],
    ['id,name,hire_date,department_id,job_id,,', 'employees'],
  ])('a header %j → %s', (line, table) => {
    expect(infer(line)).toEqual({ table, from: 'header' });
  });

  it('a headerless line of 5 cells → employees by its column count', () => {
    expect(infer('4535,Marcelo Gonzalez,2021-07-27T16:02:08Z,1,2')).toEqual({ table: 'employees', from: 'column_count' });
    expect(infer('4535,,,,')).toEqual({ table: 'employees', from: 'column_count' });
  });

  it.each([
    ['1,Product Management', 'departments.csv', 'departments'],
    ['1,Marketing Assistant', 'jobs.csv', 'jobs'],
    ['1,Recruiter', 'legacy_JOB_titles_2021.CSV', 'jobs'],
    ['1,Sales', 'dept-export.csv', 'departments'],
    ['id,name', 'departments-2021.csv', 'departments'],
  ])('two columns that fit departments and jobs (%j) are told apart by the file name %j', (line, fileName, table) => {
    expect(infer(line, fileName)).toEqual({ table, from: 'file_name' });
  });

  it('refuses two columns that fit both tables when the file name names neither, listing the candidates', () => {
    const problem = refusal('1,Sales', 'export.csv');
    expect(problem).toMatchObject({ status: 400, code: 'table_not_inferred', extensions: { line: 1, candidates: ['departments', 'jobs'] } });
    expect(problem.detail).toContain('departments and jobs');
    expect(problem.detail).toContain('"table" field');
  });

  it('does not let a file name pick a table the columns do not fit', () => {
    expect(refusal('1,2,3', 'employees.csv').detail).toContain('3 cells');
    expect(infer('id,name,hire_date,department_id,job_id', 'departments.csv')).toEqual({ table: 'employees', from: 'header' });
  });

  it('refuses a header that is no table\'s columns, naming every table\'s', () => {
    const problem = refusal('foo,bar');
    expect(problem.code).toBe('table_not_inferred');
    expect(problem.detail).toContain('"foo", "bar"');
    expect(problem.detail).toMatch(/departments: id, name; jobs: id, title; employees: id, name, hire_date, department_id, job_id/);
  });

  it('follows the header option: header=false reads a line of names as data by its count', () => {
    expect(inferTable(['x', 'y', 'z', 'v', 'w'], 'false', mappings, 'a.csv')).toEqual({ table: 'employees', from: 'column_count' });
    expect(() => inferTable(['1', '2', '3', '4', '5'], 'true', mappings, 'a.csv')).toThrow(ApiProblem);
  });
});

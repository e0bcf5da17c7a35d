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

  const infer = (line: string, option: 'auto' | 'true' | 'false' = 'auto') => inferTable(line.split(','), option, mappings);
  function refusal(line: string, option: 'auto' | 'true' | 'false' = 'auto'): ApiProblem {
    try {
      infer(line, option);
    } catch (error) {
      expect(error).toBeInstanceOf(ApiProblem);
      expect(error).toMatchObject({ status: 400, code: 'missing_table', extensions: expect.objectContaining({ line: 1 }) });
      expect((error as ApiProblem).detail).toContain('"table" field');
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

  it('refuses a header two tables accept, listing them', () => {
    const problem = refusal('id,name');
    expect(problem.extensions).toMatchObject({ candidates: ['departments', 'jobs'] });
    expect(problem.detail).toContain('fits departments and jobs');
  });

  it('refuses a file without a header: no guess from its column count', () => {
    expect(refusal('4535,Marcelo Gonzalez,2021-07-27T16:02:08Z,1,2').detail).toContain('no header');
    expect(refusal('1,Sales').detail).toContain('no header');
    expect(refusal('x,y,z,v,w', 'false').detail).toContain('no header');
  });

  it("refuses a header that is no table's columns, naming every table's", () => {
    const problem = refusal('foo,bar');
    expect(problem.detail).toContain('"foo", "bar"');
    expect(problem.detail).toMatch(/departments: id, name; jobs: id, title; employees: id, name, hire_date, department_id, job_id/);
  });

  it('refuses an empty first line', () => {
    expect(refusal('').detail).toContain('line 1 is empty');
  });

  it('follows header=true: a first line of numbers is then a header of no table', () => {
    expect(refusal('1,2,3,4,5', 'true').detail).toContain('not the columns of any table');
  });
});

import 'reflect-metadata';
import { resolve } from 'node:path';
import { FileFormatError } from '../../common/api-problem';
import { TABLE_SPECS } from '../../common/tables';
import { HeaderMappings } from '../../config/app-config';
import { loadConfig } from '../../config/load-config';
import { resolveLayout } from './header-layout';

const CONFIG_DIR = resolve(__dirname, '../../../config');

describe(resolveLayout.name, () => {
  let mappings: HeaderMappings;

  beforeAll(() => {
    mappings = loadConfig({ CONFIG_DIR }).headerMappings;
  });

  const departments = TABLE_SPECS.departments;
  const employees = TABLE_SPECS.employees;

  /** Calls resolveLayout and returns the FileFormatError it throws. */
  function layoutError(...args: Parameters<typeof resolveLayout>): FileFormatError {
    try {
      resolveLayout(...args);
    } catch (error) {
      expect(error).toBeInstanceOf(FileFormatError);
      return error as FileFormatError;
    }
    throw new Error('expected resolveLayout to throw');
  }

  describe('header=auto', () => {
    it('reads a first row without any integer cell as a header', () => {
      const layout = resolveLayout(['id', 'name'], 1, departments, mappings.departments, 'auto');
      expect(layout).toEqual({ header: true, cellIndexes: [0, 1], width: 2, columns: { id: 'id', name: 'name' } });
    });

    it('reads a first row with an integer cell as data in canonical order', () => {
      const layout = resolveLayout(['1', 'Sales'], 1, departments, mappings.departments, 'auto');
      expect(layout).toEqual({ header: false, cellIndexes: [0, 1], width: 2 });
      expect(layout.columns).toBeUndefined();
    });

    it.each([[' 7 '], ['+7'], ['-7'], ['007']])('treats %j as an integer, so the row is data', (id) => {
      expect(resolveLayout([id, 'Sales'], 1, departments, mappings.departments, 'auto').header).toBe(false);
    });

    it('reads a row as data when any cell (not only the first) is an integer', () => {
      const cells = ['x', 'Ann', '2021-01-01T00:00:00Z', '1', '2'];
      expect(resolveLayout(cells, 1, employees, mappings.employees, 'auto')).toEqual({
        header: false,
        cellIndexes: [0, 1, 2, 3, 4],
        width: 5,
      });
    });

    it.each([['1.5'], ['1e3'], ['2021-01-01'], ['one']])('does not treat %j as an integer', (cell) => {
      const error = layoutError(['id', cell], 1, departments, mappings.departments, 'auto');
      expect(error.code).toBe('unknown_column');
    });

    it('ignores empty cells at the end of a header (a trailing delimiter)', () => {
      const layout = resolveLayout(['id', 'name', '', ' '], 1, departments, mappings.departments, 'auto');
      expect(layout).toMatchObject({ header: true, cellIndexes: [0, 1], width: 2 });
    });

    it('hints at the delimiter when the header looks semicolon-delimited', () => {
      const error = layoutError(['ID;Department Name'], 1, departments, mappings.departments, 'auto');
      expect(error.detail).toContain('send delimiter=;');
    });

    it('gives a headerless employees layout the canonical five columns', () => {
      const layout = resolveLayout(['4535', 'Marcelo Gonzalez', '2021-07-27T16:02:08Z', '1', '2'], 1, employees, mappings.employees, 'auto');
      expect(layout).toEqual({ header: false, cellIndexes: [0, 1, 2, 3, 4], width: 5 });
    });
  });

  describe('header=true / header=false', () => {
    it('header=true reads even an integer-looking first row as a header', () => {
      const error = layoutError(['1', 'Sales'], 1, departments, mappings.departments, 'true');
      expect(error.code).toBe('unknown_column');
      expect(error.detail).toContain('"1"');
    });

    it('header=true maps a real header', () => {
      expect(resolveLayout(['name', 'id'], 1, departments, mappings.departments, 'true')).toEqual({
        header: true,
        cellIndexes: [1, 0],
        width: 2,
        columns: { name: 'name', id: 'id' },
      });
    });

    it('header=false reads a header-looking first row as data in canonical order', () => {
      expect(resolveLayout(['id', 'name'], 1, departments, mappings.departments, 'false')).toEqual({
        header: false,
        cellIndexes: [0, 1],
        width: 2,
      });
    });

    it('header=false does not look at the cells at all', () => {
      expect(resolveLayout(['a', 'b', 'c'], 1, departments, mappings.departments, 'false')).toEqual({
        header: false,
        cellIndexes: [0, 1],
        width: 2,
      });
    });
  });

  describe('aliases and column order', () => {
    it('maps the aliases of the real config, matched case-insensitively with spaces and dashes as "_"', () => {
      const header = ['Employee ID', ' FULL NAME ', 'Hired-At', 'dept id', 'Job'];
      expect(resolveLayout(header, 1, employees, mappings.employees, 'auto')).toEqual({
        header: true,
        cellIndexes: [0, 1, 2, 3, 4],
        width: 5,
        columns: {
          'Employee ID': 'id',
          'FULL NAME': 'name',
          'Hired-At': 'hire_date',
          'dept id': 'department_id',
          Job: 'job_id',
        },
      });
    });

    it('accepts the columns in any order', () => {
      const header = ['job_id', 'hire_date', 'department', 'employee', 'emp_id'];
      const layout = resolveLayout(header, 1, employees, mappings.employees, 'auto');
      expect(layout.header).toBe(true);
      // canonical order: id, name, hire_date, department_id, job_id
      expect(layout.cellIndexes).toEqual([4, 3, 1, 2, 0]);
      expect(layout.width).toBe(5);
      expect(layout.columns).toEqual({
        job_id: 'job_id',
        hire_date: 'hire_date',
        department: 'department_id',
        employee: 'name',
        emp_id: 'id',
      });
    });

    it('resolves the same alias to different columns per table', () => {
      // "name" is the name of a department but may also be a job title
      expect(resolveLayout(['job_id', 'name'], 1, TABLE_SPECS.jobs, mappings.jobs, 'auto').columns).toEqual({
        job_id: 'id',
        name: 'title',
      });
    });

    it('works with inline aliases (already normalised, as the config provides them)', () => {
      const aliases = { id: ['id', 'code'], name: ['name', 'label'] };
      expect(resolveLayout(['Label', 'CODE'], 1, departments, aliases, 'auto')).toEqual({
        header: true,
        cellIndexes: [1, 0],
        width: 2,
        columns: { Label: 'name', CODE: 'id' },
      });
    });

    it('falls back to the canonical column name when a column has no aliases', () => {
      expect(resolveLayout(['name', 'id'], 1, departments, {}, 'auto').cellIndexes).toEqual([1, 0]);
    });

    it('accepts only the listed aliases when a column has some (the name is not implied)', () => {
      const error = layoutError(['id', 'name'], 1, departments, { id: ['id'], name: ['label'] }, 'auto');
      expect(error).toMatchObject({ code: 'unknown_column' });
      expect(error.detail).toContain('"name"');
    });

    it('ignores a BOM glued to the first header cell', () => {
      expect(resolveLayout(['\ufeffid', 'name'], 1, departments, mappings.departments, 'auto').cellIndexes).toEqual([0, 1]);
    });
  });

  describe('header errors', () => {
    it('rejects an unknown column, naming it, the line and the accepted headers', () => {
      const error = layoutError(['id', 'name', 'budget'], 3, departments, mappings.departments, 'auto');
      expect(error).toMatchObject({ status: 400, code: 'unknown_column', extensions: { line: 3 } });
      expect(error.detail).toMatch(/^line 3: unknown column "budget" for departments\./);
      expect(error.detail).toContain('Accepted headers: id (id|department_id|dept_id), name (name|department|department_name|dept_name)');
      expect(error.detail).toContain('header=false');
    });

    it('names an empty header cell by its position', () => {
      const error = layoutError(['id', ' ', 'name'], 1, departments, mappings.departments, 'auto');
      expect(error.code).toBe('unknown_column');
      expect(error.detail).toContain('(empty, column 2)');
    });

    it('lists several unknown columns at once', () => {
      const error = layoutError(['id', 'name', 'a', 'b'], 1, departments, mappings.departments, 'auto');
      expect(error.detail).toContain('unknown columns "a", "b"');
    });

    it('rejects a missing column, naming it', () => {
      const error = layoutError(['id', 'name', 'hire_date'], 1, employees, mappings.employees, 'auto');
      expect(error).toMatchObject({ status: 400, code: 'missing_column', extensions: { line: 1 } });
      expect(error.detail).toContain('missing columns department_id, job_id for employees');
    });

    it('rejects a single missing column in the singular', () => {
      const error = layoutError(['name'], 1, departments, mappings.departments, 'auto');
      expect(error.code).toBe('missing_column');
      expect(error.detail).toContain('missing column id for departments');
    });

    it('reports unknown and missing columns together, with the unknown_column code', () => {
      const error = layoutError(['id', 'nom'], 1, departments, mappings.departments, 'auto');
      expect(error.code).toBe('unknown_column');
      expect(error.detail).toContain('unknown column "nom"; missing column name');
    });

    it('rejects two headers that map to the same column, naming the column', () => {
      const error = layoutError(['id', 'Dept ID', 'name'], 2, departments, mappings.departments, 'auto');
      expect(error).toMatchObject({
        status: 400,
        code: 'duplicate_column',
        extensions: { line: 2, column: 'id' },
      });
      expect(error.detail).toBe('line 2: headers "id" and "Dept ID" both map to column id');
    });

    it('rejects the very same header twice', () => {
      const error = layoutError(['name', 'id', 'NAME'], 1, departments, mappings.departments, 'auto');
      expect(error).toMatchObject({ code: 'duplicate_column', extensions: { column: 'name' } });
    });
  });
});

import { RowError } from '../../common/row-error';
import { MAX_ID, TABLE_SPECS } from '../../common/tables';
import { MAX_TEXT_LENGTH, RowCheckResult, compileRowChecker } from './row-checker';
import { RowPosition, SourceRow } from './pipeline.types';

const LINE_7: RowPosition = { kind: 'line', at: 7 };
const ROW_3: RowPosition = { kind: 'row', at: 3 };

const checkDepartment = compileRowChecker(TABLE_SPECS.departments);
const checkJob = compileRowChecker(TABLE_SPECS.jobs);
const checkEmployee = compileRowChecker(TABLE_SPECS.employees);

function csvRow(values: readonly unknown[] | null, position: RowPosition = LINE_7): SourceRow {
  return { position, values, raw: values };
}

function errorsOf(result: RowCheckResult): RowError[] {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.row)}`);
  return result.errors;
}

function valuesOf(result: RowCheckResult): readonly (string | number)[] {
  if (!result.ok) throw new Error(`expected a valid row, got ${JSON.stringify(result.errors)}`);
  return result.row.values;
}

/** Checks a department whose id is `id` and returns the single error code, or the checked id. */
function checkId(id: unknown): string | number {
  const result = checkDepartment(csvRow([id, 'Sales']));
  if (result.ok) return result.row.id;
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0].column).toBe('id');
  return result.errors[0].code;
}

describe(compileRowChecker.name, () => {
  describe('valid rows', () => {
    it('returns typed values in canonical order with position, id and raw row', () => {
      const raw = ['1', ' Sales '];
      const result = checkDepartment({ position: LINE_7, values: ['1', 'Sales'], raw });
      expect(result).toEqual({ ok: true, row: { position: LINE_7, id: 1, values: [1, 'Sales'], raw } });
      if (result.ok) expect(result.row.raw).toBe(raw);
    });

    it('checks an employee from CSV strings', () => {
      const result = checkEmployee(csvRow(['4535', 'Marcelo Gonzalez', '2021-07-27T16:02:08Z', '1', '2']));
      expect(valuesOf(result)).toEqual([4535, 'Marcelo Gonzalez', '2021-07-27T16:02:08.000Z', 1, 2]);
      expect(result.ok && result.row.id).toBe(4535);
    });

    it('checks an employee from JSON numbers', () => {
      const result = checkEmployee(csvRow([4535, 'Marcelo Gonzalez', '2021-07-27T16:02:08Z', 1, 2], ROW_3));
      expect(result).toMatchObject({ ok: true, row: { position: ROW_3, id: 4535, values: [4535, 'Marcelo Gonzalez', '2021-07-27T16:02:08.000Z', 1, 2] } });
    });

    it('checks a job', () => {
      expect(valuesOf(checkJob(csvRow(['9', 'Engineer'])))).toEqual([9, 'Engineer']);
    });
  });

  describe('normalisation', () => {
    it('trims text', () => {
      expect(valuesOf(checkDepartment(csvRow(['1', '  Sales \t'])))).toEqual([1, 'Sales']);
    });

    it('keeps inner whitespace, tabs and line breaks of text', () => {
      expect(valuesOf(checkDepartment(csvRow(['1', 'Research\tand\r\nDevelopment'])))).toEqual([1, 'Research\tand\r\nDevelopment']);
    });

    it.each([
      ['2021-07-27', '2021-07-27T00:00:00.000Z'],
      ['  2021-07-27T16:02:08Z ', '2021-07-27T16:02:08.000Z'],
      ['2021-07-27T16:02:08-05:00', '2021-07-27T21:02:08.000Z'],
      ['2021-07-27 16:02:08.5+02', '2021-07-27T14:02:08.500Z'],
      ['2021-12-31T23:30:00-05:00', '2022-01-01T04:30:00.000Z'],
    ])('turns hire_date %j into the ISO UTC instant %s', (input, expected) => {
      expect(valuesOf(checkEmployee(csvRow(['1', 'Ann', input, '1', '1'])))[2]).toBe(expected);
    });

    it('reads leading zeros and a plus sign in a string id', () => {
      expect(checkId('007')).toBe(7);
      expect(checkId('+12')).toBe(12);
    });
  });

  describe('integer columns', () => {
    it.each([
      ['1', 1],
      [1, 1],
      [String(MAX_ID), MAX_ID],
      [MAX_ID, MAX_ID],
      [1e3, 1000],
      [5.0, 5],
    ])('accepts %j as %i', (input, expected) => {
      expect(checkId(input)).toBe(expected);
    });

    it.each([
      ['0', 'out_of_range'],
      [0, 'out_of_range'],
      ['-1', 'out_of_range'],
      [-1, 'out_of_range'],
      ['-0', 'out_of_range'],
      ['2147483648', 'out_of_range'],
      [2147483648, 'out_of_range'],
      ['99999999999999999999999', 'out_of_range'],
      [Number.MAX_SAFE_INTEGER + 2, 'out_of_range'],
      ['1.5', 'invalid_integer'],
      [1.5, 'invalid_integer'],
      ['1e3', 'invalid_integer'],
      ['abc', 'invalid_integer'],
      ['12abc', 'invalid_integer'],
      ['0x10', 'invalid_integer'],
      [' 1', 'invalid_integer'],
      ['--1', 'invalid_integer'],
      [Number.NaN, 'invalid_integer'],
      [Number.POSITIVE_INFINITY, 'invalid_integer'],
      [true, 'invalid_integer'],
      [{}, 'invalid_integer'],
      [[1], 'invalid_integer'],
      ['', 'required'],
      [null, 'required'],
      [undefined, 'required'],
    ])('rejects %j as %s', (input, code) => {
      expect(checkId(input)).toBe(code);
    });

    it('describes out_of_range with the limits', () => {
      const [error] = errorsOf(checkDepartment(csvRow(['0', 'Sales'])));
      expect(error).toEqual({
        line: 7,
        column: 'id',
        value: '0',
        code: 'out_of_range',
        message: `id must be between 1 and ${MAX_ID}`,
      });
    });

    it('checks reference columns like ids', () => {
      const errors = errorsOf(checkEmployee(csvRow(['1', 'Ann', '2021-01-01', '0', 'x'])));
      expect(errors.map((e) => [e.column, e.code])).toEqual([
        ['department_id', 'out_of_range'],
        ['job_id', 'invalid_integer'],
      ]);
    });
  });

  describe('text columns', () => {
    it(`accepts exactly ${MAX_TEXT_LENGTH} characters`, () => {
      const name = 'a'.repeat(MAX_TEXT_LENGTH);
      expect(valuesOf(checkDepartment(csvRow(['1', name])))[1]).toBe(name);
    });

    it(`rejects ${MAX_TEXT_LENGTH + 1} characters as too_long`, () => {
      const errors = errorsOf(checkDepartment(csvRow(['1', 'a'.repeat(MAX_TEXT_LENGTH + 1)])));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ column: 'name', code: 'too_long', message: 'name is 256 characters long; the limit is 255' });
    });

    it(`counts code points: ${MAX_TEXT_LENGTH} emoji (510 UTF-16 units) are fine`, () => {
      const name = '😀'.repeat(MAX_TEXT_LENGTH);
      expect(name.length).toBe(2 * MAX_TEXT_LENGTH);
      expect(valuesOf(checkDepartment(csvRow(['1', name])))[1]).toBe(name);
    });

    it(`counts code points: ${MAX_TEXT_LENGTH + 1} emoji are too_long`, () => {
      const [error] = errorsOf(checkDepartment(csvRow(['1', '😀'.repeat(MAX_TEXT_LENGTH + 1)])));
      expect(error).toMatchObject({ code: 'too_long', message: 'name is 256 characters long; the limit is 255' });
    });

    it('measures the length after trimming', () => {
      const name = `  ${'a'.repeat(MAX_TEXT_LENGTH)}  `;
      expect(valuesOf(checkDepartment(csvRow(['1', name])))[1]).toBe('a'.repeat(MAX_TEXT_LENGTH));
    });

    it.each([
      ['NUL', 'Sa\u0000les'],
      ['BEL', 'Sa\u0007les'],
      ['vertical tab', 'Sa\u000bles'],
      ['escape', 'Sa\u001bles'],
      ['DEL', 'Sa\u007fles'],
      ['C1 next line', 'Sa\u0085les'],
      ['C1 (Windows-1252 read as Latin-1)', 'Sa\u0096les'],
    ])('rejects a %s character as invalid_text', (_label, name) => {
      const [error] = errorsOf(checkDepartment(csvRow(['1', name])));
      expect(error).toMatchObject({ column: 'name', code: 'invalid_text', value: name, message: expect.stringContaining('control character') });
    });

    it.each(['\ud800', 'a\udfffb'])('rejects the lone surrogate in %j as invalid_text', (name) => {
      const [error] = errorsOf(checkDepartment(csvRow([1, name], { kind: 'row', at: 0 })));
      expect(error).toMatchObject({ column: 'name', code: 'invalid_text' });
    });

    it.each([
      ['', 'required'],
      ['   ', 'required'],
      [null, 'required'],
      [undefined, 'required'],
      [42, 'invalid_text'],
      [true, 'invalid_text'],
      [{ first: 'Ann' }, 'invalid_text'],
    ])('rejects name %j as %s', (name, code) => {
      const errors = errorsOf(checkDepartment(csvRow(['1', name])));
      expect(errors).toEqual([expect.objectContaining({ column: 'name', code })]);
    });

    it('shows a JSON value as JSON in the error', () => {
      const [error] = errorsOf(checkDepartment(csvRow([1, { first: 'Ann' }], ROW_3)));
      expect(error).toEqual({ row: 3, column: 'name', value: '{"first":"Ann"}', code: 'invalid_text', message: 'name must be text' });
    });
  });

  describe('instant columns', () => {
    function hireDateError(value: unknown): RowError {
      const errors = errorsOf(checkEmployee(csvRow(['1', 'Ann', value, '1', '1'])));
      expect(errors).toHaveLength(1);
      expect(errors[0].column).toBe('hire_date');
      return errors[0];
    }

    it.each(['2021-02-29', '2021-04-31', '2021-07-27T24:00:00Z', '2021-07-27T23:60', 'yesterday', '27/07/2021'])(
      'rejects %j as invalid_date',
      (value) => {
        expect(hireDateError(value)).toEqual({
          line: 7,
          column: 'hire_date',
          value,
          code: 'invalid_date',
          message: `hire_date "${value}" is not a valid ISO 8601 date or date-time`,
        });
      },
    );

    it('accepts 29 February of a leap year', () => {
      expect(valuesOf(checkEmployee(csvRow(['1', 'Ann', '2020-02-29', '1', '1'])))[2]).toBe('2020-02-29T00:00:00.000Z');
    });

    it.each([
      [1627401728, '1627401728'],
      [true, 'true'],
    ])('rejects the JSON non-string %j as invalid_date', (value, shown) => {
      expect(hireDateError(value)).toMatchObject({ code: 'invalid_date', value: shown, message: 'hire_date must be an ISO 8601 string' });
    });

    it.each([[''], [null], [undefined]])('rejects %j as required', (value) => {
      expect(hireDateError(value)).toMatchObject({ code: 'required', value: value === '' ? '' : null, message: 'hire_date is required' });
    });

    it('rejects a whitespace-only JSON string as required, like a whitespace-only name', () => {
      // A blank name is 'required'; a blank hire_date should be too, not "must be an ISO 8601 string".
      expect(errorsOf(checkDepartment(csvRow([1, '   '], ROW_3)))[0]).toMatchObject({ code: 'required' });
      expect(hireDateError('   ')).toMatchObject({ code: 'required', message: 'hire_date is required' });
    });
  });

  describe('several errors in one row', () => {
    it('reports every failing column, in column order, with the CSV line', () => {
      const errors = errorsOf(checkEmployee(csvRow(['0', '', '2021-02-30', '-3', 'abc'])));
      expect(errors).toEqual([
        { line: 7, column: 'id', value: '0', code: 'out_of_range', message: expect.any(String) },
        { line: 7, column: 'name', value: '', code: 'required', message: 'name is required' },
        { line: 7, column: 'hire_date', value: '2021-02-30', code: 'invalid_date', message: expect.any(String) },
        { line: 7, column: 'department_id', value: '-3', code: 'out_of_range', message: expect.any(String) },
        { line: 7, column: 'job_id', value: 'abc', code: 'invalid_integer', message: 'job_id "abc" is not a whole number' },
      ]);
    });

    it('reports JSON batch errors by row index, not line', () => {
      const errors = errorsOf(checkEmployee(csvRow([1.5, 'x'.repeat(300), 20210727, null, 2147483648], ROW_3)));
      expect(errors).toEqual([
        { row: 3, column: 'id', value: '1.5', code: 'invalid_integer', message: 'id must be a whole number' },
        { row: 3, column: 'name', value: 'x'.repeat(300), code: 'too_long', message: expect.any(String) },
        { row: 3, column: 'hire_date', value: '20210727', code: 'invalid_date', message: expect.any(String) },
        { row: 3, column: 'department_id', value: null, code: 'required', message: 'department_id is required' },
        { row: 3, column: 'job_id', value: '2147483648', code: 'out_of_range', message: expect.any(String) },
      ]);
      for (const error of errors) expect(error).not.toHaveProperty('line');
    });

    it('reports every column as required when the row has no values', () => {
      const errors = errorsOf(checkEmployee(csvRow([])));
      expect(errors.map((e) => e.code)).toEqual(['required', 'required', 'required', 'required', 'required']);
    });

    it('reports every column as required when the values are null', () => {
      const errors = errorsOf(checkDepartment(csvRow(null)));
      expect(errors.map((e) => [e.column, e.code])).toEqual([
        ['id', 'required'],
        ['name', 'required'],
      ]);
    });
  });

  describe('layout errors from the source', () => {
    it('passes a source error through as the only error without checking values', () => {
      const error: RowError = { line: 7, column: null, value: null, code: 'wrong_column_count', message: 'expected 2 columns, found 3' };
      expect(checkDepartment({ position: LINE_7, values: null, raw: ['1', 'a', 'b'], error })).toEqual({ ok: false, errors: [error], values: [] });
    });

    it('passes an unknown_field error through even when the values are fine', () => {
      const error: RowError = { row: 3, column: 'budget', value: null, code: 'unknown_field', message: 'unknown field "budget"' };
      const result = checkDepartment({ position: ROW_3, values: [1, 'Sales'], raw: { id: 1, name: 'Sales', budget: 1 }, error });
      expect(result).toEqual({ ok: false, errors: [error], values: [1, 'Sales'] });
    });
  });
});

import { clip } from '../../common/clip';
import { parseIsoInstant } from '../../common/iso-instant';
import { RowError, RowErrorCode } from '../../common/row-error';
import { ColumnKind, MAX_ID, TableSpec } from '../../common/tables';
import { CheckedRow, SourceRow, positionFields } from './pipeline.types';

export const MAX_TEXT_LENGTH = 255;
const DIGITS = /^\+?\d+$/;
// Tab and line breaks are text (RFC 4180 quotes exist to carry them); other C0
// and C1 controls are garbage, often text decoded with the wrong charset, and
// NUL cannot even be stored in PostgreSQL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Failure = { code: RowErrorCode; message: string };
/** `fromText`: the value comes from a CSV cell, where every value is text; JSON values keep their types. */
type CellCheck = (value: unknown, fromText: boolean) => string | number | Failure;

/** On failure, `values` holds what did pass (e.g. a valid department_id), for the checks that need the database. */
export type RowCheckResult =
  | { ok: true; row: CheckedRow }
  | { ok: false; errors: RowError[]; values: readonly (string | number | undefined)[] };
export type RowChecker = (row: SourceRow) => RowCheckResult;

/**
 * Builds the hot-path type check of a table once: one small function per
 * column, run in a plain loop per row. No reflection, no per-row allocation
 * beyond the output values.
 */
export function compileRowChecker(spec: TableSpec): RowChecker {
  const columns = spec.columns.map((column) => ({ name: column.name, check: CHECKS[column.kind](column.name) }));
  return (source) => {
    // A row that could not be laid out has no values to check; any other layout error joins the checks' errors.
    if (source.error && !source.values) return { ok: false, errors: [source.error], values: [] };
    const values: (string | number)[] = new Array(columns.length);
    let errors: RowError[] | null = source.error ? [source.error] : null;
    const fromText = source.position.kind === 'line';
    for (let i = 0; i < columns.length; i++) {
      const raw = source.values?.[i];
      const result = columns[i].check(raw, fromText);
      if (typeof result === 'object') {
        (errors ??= []).push({
          ...positionFields(source.position),
          column: columns[i].name,
          value: displayValue(raw),
          ...result,
        });
      } else {
        values[i] = result;
      }
    }
    if (errors) return { ok: false, errors, values };
    return { ok: true, row: { position: source.position, id: values[0] as number, values, raw: source.raw } };
  };
}

const CHECKS: Record<ColumnKind, (column: string) => CellCheck> = {
  id: integerCheck,
  reference: integerCheck,
  text: (column) => (value) => {
    if (typeof value !== 'string') return isBlank(value) ? required(column) : fail('invalid_text', `${column} must be text`);
    const text = value.trim();
    if (text === '') return required(column);
    if (text.length > MAX_TEXT_LENGTH && [...text].length > MAX_TEXT_LENGTH) {
      return fail('too_long', `${column} is ${[...text].length} characters long; the limit is ${MAX_TEXT_LENGTH}`);
    }
    if (CONTROL.test(text)) return fail('invalid_text', `${column} contains a control character`);
    // A lone surrogate (possible in JSON) is not Unicode text; each database would mangle it its own way.
    if (LONE_SURROGATE.test(text)) return fail('invalid_text', `${column} is not well-formed Unicode (a lone surrogate)`);
    return text;
  },
  instant: (column) => (value) => {
    if (typeof value !== 'string') {
      return isBlank(value) ? required(column) : fail('invalid_date', `${column} must be an ISO 8601 string`);
    }
    if (value.trim() === '') return required(column);
    const instant = parseIsoInstant(value.trim());
    return instant ?? fail('invalid_date', `${column} "${clip(value.trim(), 64)}" is not a valid ISO 8601 date or date-time`);
  },
};

function integerCheck(column: string): CellCheck {
  return (value, fromText) => {
    let number: number;
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) return fail('invalid_integer', `${column} must be a whole number`);
      number = value;
    } else if (typeof value === 'string' && value !== '' && !fromText) {
      return fail('invalid_integer', `${column} must be a JSON number, not a string`);
    } else if (typeof value === 'string' && value !== '') {
      if (!DIGITS.test(value)) {
        return /^-\d+$/.test(value)
          ? fail('out_of_range', `${column} must be between 1 and ${MAX_ID}`)
          : fail('invalid_integer', `${column} "${clip(value, 64)}" is not a whole number`);
      }
      number = Number(value);
    } else {
      return isBlank(value) ? required(column) : fail('invalid_integer', `${column} must be a whole number`);
    }
    if (number < 1 || number > MAX_ID) return fail('out_of_range', `${column} must be between 1 and ${MAX_ID}`);
    return number;
  };
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function required(column: string): Failure {
  return fail('required', `${column} is required`);
}

function fail(code: RowErrorCode, message: string): Failure {
  return { code, message };
}

function displayValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return clip(typeof value === 'string' ? value : JSON.stringify(value));
}

import { ApiProblem } from '../common/api-problem';
import { RowError } from '../common/row-error';

/**
 * More rows were rejected than max_errors allows: the ingestion stopped
 * reading there and rolled back. The answer carries the first max_errors
 * rows' errors and the report, as a rows_rejected answer does.
 */
export class ErrorBudgetExceeded extends ApiProblem {
  constructor(maxErrors: number, at: RowError) {
    const where = at.line !== undefined ? `line ${at.line}` : `row ${at.row}`;
    super(
      422,
      'error_budget_exceeded',
      `more than ${maxErrors} row${maxErrors === 1 ? ' was' : 's were'} rejected (max_errors=${maxErrors}): the ingestion stopped at ${where} and nothing was written. ` +
        'Fix the rows listed in errors, or raise max_errors.',
      at.line !== undefined ? { line: at.line } : {},
    );
  }
}

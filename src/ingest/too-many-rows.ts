import { ApiProblem } from '../common/api-problem';

/** A file with more rows than ingest.max_rows_per_file: the ingestion stopped there and rolled back. */
export class TooManyRows extends ApiProblem {
  constructor(maxRows: number) {
    super(
      413,
      'too_many_rows',
      `the file has more than ${maxRows} rows, the limit per file (ingest.max_rows_per_file): the ingestion stopped there and nothing was written. ` +
        'Split it into smaller files.',
      { max_rows_per_file: maxRows },
    );
  }
}

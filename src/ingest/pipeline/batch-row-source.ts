import { TableSpec, columnNames } from '../../common/tables';
import { RowSource, SourceDescription, SourceRow } from './pipeline.types';

/** A JSON batch as a row source: the same pipeline as CSV from here on. */
export class BatchRowSource implements RowSource {
  constructor(
    private readonly rowsIn: readonly Record<string, unknown>[],
    private readonly spec: TableSpec,
  ) {}

  async *rows(): AsyncGenerator<SourceRow[]> {
    const columns = columnNames(this.spec);
    yield this.rowsIn.map((row, index) => {
      const position = { kind: 'row' as const, at: index };
      const unknown = Object.keys(row).find((key) => !columns.includes(key));
      const error = unknown
        ? { row: index, column: unknown, value: null, code: 'unknown_field' as const, message: `unknown field "${unknown}"; expected ${columns.join(', ')}` }
        : undefined;
      return { position, values: columns.map((c) => row[c]), raw: row, error };
    });
  }

  describe(): SourceDescription {
    return { format: 'json' };
  }
}

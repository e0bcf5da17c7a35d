import { clip } from '../../common/clip';
import { createHash } from 'node:crypto';
import { TableSpec, columnNames } from '../../common/tables';
import { RowSource, SourceDescription, SourceRow } from './pipeline.types';

/** A JSON batch as a row source: the same pipeline as CSV from here on. */
export class BatchRowSource implements RowSource {
  private sha256: string | undefined;

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
        ? { row: index, column: clip(unknown, 255), value: null, code: 'unknown_field' as const, message: `unknown field "${clip(unknown, 255)}"; expected ${columns.join(', ')}` }
        : undefined;
      return { position, values: columns.map((c) => row[c]), raw: row, error };
    });
  }

  describe(): SourceDescription {
    // A batch's bytes are parsed before it gets here: its rows as compact JSON stand for them.
    this.sha256 ??= createHash('sha256').update(JSON.stringify(this.rowsIn)).digest('hex');
    return { format: 'json', sha256: this.sha256 };
  }
}

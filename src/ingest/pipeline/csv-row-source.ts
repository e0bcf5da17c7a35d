import { Readable } from 'node:stream';
import { FileFormatError } from '../../common/api-problem';
import { stopStream } from '../../common/stop-stream';
import { TableSpec } from '../../common/tables';
import { CsvRecord, CsvStats, readCsvRecords } from './csv-records';
import { CsvLayout, HeaderOption, resolveLayout } from './header-layout';
import { RowSource, SourceDescription, SourceRow } from './pipeline.types';

export interface CsvSourceOptions {
  readonly header: HeaderOption;
  readonly delimiter: string;
  readonly maxBytes: number;
  /** Runs once every row has been read, before the rows are committed (e.g. to check the rest of the request). */
  readonly afterLastRow?: () => Promise<void>;
}

/** Parse → map headers: turns an uploaded byte stream into canonical rows. */
export class CsvRowSource implements RowSource {
  private layout: CsvLayout | null = null;
  /** The header line as written, for the rejects file. */
  private headerLine: string | undefined;
  private readonly stats: CsvStats = { bytes: 0, bom: false };

  constructor(
    private readonly input: Readable,
    private readonly spec: TableSpec,
    private readonly aliases: Readonly<Record<string, readonly string[]>>,
    private readonly options: CsvSourceOptions,
  ) {}

  async *rows(): AsyncGenerator<SourceRow[]> {
    let dataRows = 0;
    for await (const records of readCsvRecords(this.input, this.options.delimiter, this.options.maxBytes, this.stats)) {
      const rows: SourceRow[] = [];
      for (const record of records) {
        if (!this.layout) {
          this.layout = resolveLayout(record.cells, record.line, this.spec, this.aliases, this.options.header);
          if (this.layout.header) {
            this.headerLine = record.raw;
            continue;
          }
        }
        rows.push(this.toSourceRow(record, this.layout));
      }
      dataRows += rows.length;
      if (rows.length > 0) yield rows;
    }
    if (!this.layout) throw new FileFormatError('empty_file', 'the file is empty: it has no header and no rows');
    if (dataRows === 0) throw new FileFormatError('no_data_rows', 'the file has a header but no data rows');
    await this.options.afterLastRow?.();
  }

  stop(reason: Error): void {
    stopStream(this.input, reason);
  }

  describe(): SourceDescription {
    return {
      format: 'csv',
      header: this.layout?.header,
      columns: this.layout?.columns,
      delimiter: this.options.delimiter,
      bom: this.stats.bom,
      line_endings: this.stats.lineEndings,
      bytes: this.stats.bytes,
      sha256: this.stats.sha256,
      header_line: this.headerLine,
    };
  }

  private toSourceRow({ line, cells, raw }: CsvRecord, layout: CsvLayout): SourceRow {
    const position = { kind: 'line' as const, at: line };
    // Empty cells past the last column (a trailing delimiter) are not data.
    if (cells.length > layout.width && cells.slice(layout.width).every((cell) => cell.trim() === '')) {
      cells = cells.slice(0, layout.width);
    }
    if (cells.length !== layout.width) {
      return {
        position,
        values: null,
        raw,
        error: {
          line,
          column: null,
          value: null,
          code: 'wrong_column_count',
          message: `expected ${layout.width} columns, found ${cells.length}`,
        },
      };
    }
    return { position, values: layout.cellIndexes.map((i) => cells[i].trim()), raw };
  }
}

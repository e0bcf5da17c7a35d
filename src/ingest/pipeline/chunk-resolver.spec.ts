import { QueryRunner } from 'typeorm';
import { TABLE_SPECS, TableName } from '../../common/tables';
import { IngestMode } from '../../config/settings.schema';
import { IngestLookupRepository } from '../ingest-lookup.repository';
import { ChunkOutcome, ChunkResolver } from './chunk-resolver';
import { CheckedRow } from './pipeline.types';
import { UploadIds } from './upload-ids';

type Row = readonly (string | number)[];

/** The tables as the lookups see them: rows by id, per table. */
class FakeTables {
  readonly tables = new Map<TableName, Map<number, Row>>();
  /** The ids each existingIds lookup of a data table asked for. */
  readonly askedIds: number[][] = [];

  constructor(data: Partial<Record<TableName, Row[]>>) {
    for (const [table, rows] of Object.entries(data)) this.tables.set(table as TableName, new Map(rows.map((row) => [row[0] as number, row])));
  }

  rowsOf(table: TableName): Map<number, Row> {
    let rows = this.tables.get(table);
    if (!rows) this.tables.set(table, (rows = new Map()));
    return rows;
  }

  repository(dataTable: TableName): IngestLookupRepository {
    return {
      existingIds: async (_runner: QueryRunner, table: TableName, ids: readonly number[]) => {
        if (table === dataTable) this.askedIds.push([...ids]);
        return new Set(ids.filter((id) => this.rowsOf(table).has(id)));
      },
      uniqueHolders: async (_runner: QueryRunner, table: TableName, _column: string, values: readonly string[]) =>
        new Map([...this.rowsOf(table).values()].filter((row) => values.includes(row[1] as string)).map((row) => [row[1] as string, row[0] as number])),
      maxId: async (_runner: QueryRunner, table: TableName) => Math.max(0, ...this.rowsOf(table).keys()),
    } as IngestLookupRepository;
  }
}

let line = 0;
function rows(...values: Row[]): CheckedRow[] {
  return values.map((v) => ({ position: { kind: 'line', at: ++line }, id: v[0] as number, values: v, raw: v }));
}

interface Totals {
  inserted: number;
  updated: number;
  skipped: number;
  duplicateInFile: number;
  rejected: { line: number; code: string; message: string }[];
  writes: { id: number; values: Row; repeat: boolean }[];
}

/**
 * Resolves `chunks` in turn against `fake`, writing each chunk's rows into it
 * as the writer would (later chunks see them), and adds the outcomes up.
 */
async function resolveChunks(
  fake: FakeTables,
  table: TableName,
  mode: IngestMode,
  chunks: CheckedRow[][],
  writerCountsUpserts = false,
): Promise<Totals> {
  const ids = new UploadIds();
  try {
    const resolver = new ChunkResolver(fake.repository(table), {} as QueryRunner, TABLE_SPECS[table], mode, ids, writerCountsUpserts);
    const totals: Totals = { inserted: 0, updated: 0, skipped: 0, duplicateInFile: 0, rejected: [], writes: [] };
    for (const chunk of chunks) {
      const outcome: ChunkOutcome = await resolver.resolve(chunk);
      totals.inserted += outcome.inserted;
      totals.updated += outcome.updated;
      totals.skipped += outcome.skipped;
      totals.duplicateInFile += outcome.duplicateInFile;
      for (const { row, errors } of outcome.rejected) {
        for (const error of errors) totals.rejected.push({ line: row.position.at, code: error.code, message: error.message });
      }
      for (const row of outcome.writes) {
        totals.writes.push({ id: row.id, values: row.values, repeat: row.repeat === true });
        fake.rowsOf(table).set(row.id, row.values);
      }
    }
    return totals;
  } finally {
    ids.dispose();
  }
}

describe(ChunkResolver.name, () => {
  beforeEach(() => {
    line = 0;
  });

  describe('an id repeated within the upload', () => {
    // 1 is in the table; 5 is new. Each comes again in the same chunk and in the next one.
    const chunks = (): CheckedRow[][] => [rows([1, 'One'], [5, 'Five'], [1, 'One again'], [5, 'Five again']), rows([5, 'Five last'], [1, 'One last'])];

    it('upsert: counts the first row of an id as inserted or updated, every later one as a duplicate, and writes them all in file order', async () => {
      const fake = new FakeTables({ departments: [[1, 'Sales']] });
      const totals = await resolveChunks(fake, 'departments', 'upsert', chunks());

      expect(totals).toMatchObject({ inserted: 1, updated: 1, skipped: 0, duplicateInFile: 4, rejected: [] });
      expect(totals.writes.map((w) => [w.id, w.values[1], w.repeat])).toEqual([
        [1, 'One', false],
        [5, 'Five', false],
        [1, 'One again', true],
        [5, 'Five again', true],
        [5, 'Five last', true],
        [1, 'One last', true],
      ]);
    });

    it('upsert with a writer that counts upserts: leaves inserted and updated to it, still counts the duplicates, and looks nothing up', async () => {
      const fake = new FakeTables({ departments: [[1, 'Sales']] });
      const totals = await resolveChunks(fake, 'departments', 'upsert', chunks(), true);

      expect(totals).toMatchObject({ inserted: 0, updated: 0, duplicateInFile: 4, rejected: [] });
      expect(totals.writes.filter((w) => !w.repeat).map((w) => w.id)).toEqual([1, 5]);
      expect(fake.askedIds).toEqual([]);
    });

    it('skip: counts the first row of an id as inserted or skipped, every later one as a duplicate, and writes only new first rows', async () => {
      const fake = new FakeTables({ departments: [[1, 'Sales']] });
      const totals = await resolveChunks(fake, 'departments', 'skip', chunks());

      expect(totals).toMatchObject({ inserted: 1, updated: 0, skipped: 1, duplicateInFile: 4, rejected: [] });
      expect(totals.writes).toEqual([{ id: 5, values: [5, 'Five'], repeat: false }]);
    });

    it('insert: rejects every later row as duplicate_id (an error, not a duplicate), naming where the id came first', async () => {
      const fake = new FakeTables({ departments: [[1, 'Sales']] });
      const totals = await resolveChunks(fake, 'departments', 'insert', chunks());

      expect(totals).toMatchObject({ inserted: 1, duplicateInFile: 0 });
      expect(totals.writes).toEqual([{ id: 5, values: [5, 'Five'], repeat: false }]);
      expect(totals.rejected).toEqual([
        { line: 1, code: 'duplicate_id', message: expect.stringContaining('exists already in the table') },
        { line: 3, code: 'duplicate_id', message: expect.stringContaining('exists already in the table') },
        { line: 4, code: 'duplicate_id', message: expect.stringContaining('earlier in this upload (line 2)') },
        { line: 5, code: 'duplicate_id', message: expect.stringContaining('exists earlier in this upload;') },
        { line: 6, code: 'duplicate_id', message: expect.stringContaining('exists already in the table') },
      ]);
    });

    it('does not look up again an id accepted in an earlier chunk', async () => {
      const fake = new FakeTables({ departments: [[9, 'Ops']] });
      await resolveChunks(fake, 'departments', 'skip', [rows([9, 'Ops'], [3, 'Three']), rows([3, 'Three again'], [9, 'Ops again'], [4, 'Four'])]);

      // 3 is below the highest id (9): looked up the first time only; 4 is new to the upload and the table.
      expect(fake.askedIds).toEqual([[9, 3], [4]]);
    });
  });

  describe('a rejected row does not make its id seen', () => {
    it.each(['upsert', 'skip', 'insert'] as const)('mode=%s: after a duplicate_name, the next row of that id comes first', async (mode) => {
      const fake = new FakeTables({ departments: [[1, 'Sales']] });
      const totals = await resolveChunks(fake, 'departments', mode, [rows([7, 'Sales'], [7, 'Ops']), rows([7, 'Ops again'])]);

      expect(totals.rejected.map((r) => [r.line, r.code])).toEqual(
        mode === 'insert' ? [[1, 'duplicate_name'], [3, 'duplicate_id']] : [[1, 'duplicate_name']],
      );
      expect(totals).toMatchObject({ inserted: 1, updated: 0, skipped: 0, duplicateInFile: mode === 'insert' ? 0 : 1 });
      expect(totals.writes.map((w) => [w.values[1], w.repeat])).toEqual(mode === 'upsert' ? [['Ops', false], ['Ops again', true]] : [['Ops', false]]);
    });

    it('after a foreign-key error, the next row of that id comes first', async () => {
      const fake = new FakeTables({ departments: [[1, 'Sales']], jobs: [[1, 'Clerk']] });
      const employee = (name: string, department: number): Row => [4, name, '2021-01-01T00:00:00.000Z', department, 1];
      const totals = await resolveChunks(fake, 'employees', 'upsert', [rows(employee('Ann', 2), employee('Ann', 1), employee('Ann B', 1))]);

      expect(totals.rejected.map((r) => [r.line, r.code])).toEqual([[1, 'unknown_department']]);
      expect(totals).toMatchObject({ inserted: 1, updated: 0, duplicateInFile: 1 });
    });

    it('a row repeating an accepted id and rejected for its name stays rejected, not a duplicate', async () => {
      const fake = new FakeTables({ departments: [[1, 'Sales']] });
      const totals = await resolveChunks(fake, 'departments', 'upsert', [rows([5, 'Ops'], [5, 'Sales'], [5, 'Ops'])]);

      expect(totals.rejected.map((r) => [r.line, r.code])).toEqual([[2, 'duplicate_name']]);
      expect(totals).toMatchObject({ inserted: 1, duplicateInFile: 1 });
    });
  });
});

import { ColumnKind, TABLE_SPECS, TableName } from '../../common/tables';

/** An AVRO record schema, as written into the header of each backup file. */
export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace: string;
  doc: string;
  fields: { name: string; type: 'int' | 'string' | { type: 'long'; logicalType: 'timestamp-millis' } }[];
}

export const AVRO_NAMESPACE = 'db_migration_api';

/**
 * Ids are 32-bit (MAX_ID), hence `int`. An instant is `long` milliseconds
 * (timestamp-millis): the app keeps instants to the millisecond on both
 * databases, so it round-trips exactly, and other AVRO readers see a
 * timestamp. Every column is NOT NULL (see the initial migration), so no
 * field is a union with null.
 */
const FIELD_TYPES: Record<ColumnKind, AvroRecordSchema['fields'][number]['type']> = {
  id: 'int',
  reference: 'int',
  text: 'string',
  instant: { type: 'long', logicalType: 'timestamp-millis' },
};

function recordSchema(table: TableName): AvroRecordSchema {
  return {
    type: 'record',
    name: table,
    namespace: AVRO_NAMESPACE,
    doc: `The ${table} table of db-migration-api, one record per row, in id order.`,
    fields: TABLE_SPECS[table].columns.map((column) => ({ name: column.name, type: FIELD_TYPES[column.kind] })),
  };
}

const SCHEMAS: Readonly<Record<TableName, AvroRecordSchema>> = {
  departments: recordSchema('departments'),
  jobs: recordSchema('jobs'),
  employees: recordSchema('employees'),
};

export function avroSchemaOf(table: TableName): AvroRecordSchema {
  return SCHEMAS[table];
}

/** A database row (as either driver returns it) → the AVRO record of its table. */
export function toAvroRecord(table: TableName, row: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const column of TABLE_SPECS[table].columns) {
    const value = row[column.name];
    // PostgreSQL hands back a Date (timestamptz), SQLite the ISO text the app stored.
    if (column.kind === 'instant') record[column.name] = value instanceof Date ? value.getTime() : Date.parse(String(value));
    else record[column.name] = value;
  }
  return record;
}

/**
 * An AVRO record → its cells in canonical column order, shaped as a JSON
 * batch row is (numbers, text, instants as ISO text), so the ingest row
 * checker validates it. A value the file cannot mean (a timestamp outside
 * what a Date holds) is passed on as text, for the checker to reject.
 */
export function fromAvroRecord(table: TableName, record: Record<string, unknown>): unknown[] {
  return TABLE_SPECS[table].columns.map((column) => {
    const value = record[column.name];
    if (column.kind !== 'instant' || typeof value !== 'number') return value;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
  });
}

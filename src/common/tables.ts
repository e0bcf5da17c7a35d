/**
 * The three tables the service loads, and for each its columns in canonical
 * order (the order of a headerless legacy export). Every stage of the ingest
 * pipeline and the config validation read the schema from here.
 */
export const TABLE_NAMES = ['departments', 'jobs', 'employees'] as const;

/** Ids are positive 32-bit integers (the columns are INTEGER on both databases). */
export const MAX_ID = 2_147_483_647;
export type TableName = (typeof TABLE_NAMES)[number];

export type ColumnKind = 'id' | 'text' | 'instant' | 'reference';

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  /** For `reference` columns: the table whose id this column must name. */
  readonly references?: TableName;
}

export interface TableSpec {
  readonly name: TableName;
  readonly columns: readonly ColumnSpec[];
  /** A column that must be unique across the table besides the id. */
  readonly uniqueColumn?: string;
}

export const TABLE_SPECS: Readonly<Record<TableName, TableSpec>> = {
  departments: {
    name: 'departments',
    columns: [
      { name: 'id', kind: 'id' },
      { name: 'name', kind: 'text' },
    ],
    uniqueColumn: 'name',
  },
  jobs: {
    name: 'jobs',
    columns: [
      { name: 'id', kind: 'id' },
      { name: 'title', kind: 'text' },
    ],
    uniqueColumn: 'title',
  },
  employees: {
    name: 'employees',
    columns: [
      { name: 'id', kind: 'id' },
      { name: 'name', kind: 'text' },
      { name: 'hire_date', kind: 'instant' },
      { name: 'department_id', kind: 'reference', references: 'departments' },
      { name: 'job_id', kind: 'reference', references: 'jobs' },
    ],
  },
};

export function isTableName(value: unknown): value is TableName {
  return typeof value === 'string' && (TABLE_NAMES as readonly string[]).includes(value);
}

export function columnNames(spec: TableSpec): string[] {
  return spec.columns.map((column) => column.name);
}

/** `col = excluded.col` for every column but the id: the SET list of an upsert. */
export function upsertAssignments(spec: TableSpec): string {
  return columnNames(spec)
    .filter((name) => name !== 'id')
    .map((name) => `${name} = excluded.${name}`)
    .join(', ');
}

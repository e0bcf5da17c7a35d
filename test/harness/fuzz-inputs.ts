import fc from 'fast-check';
import { DataTable } from './ingest-helpers';

/**
 * fast-check arbitraries for the fuzz test: CSV uploads, raw multipart
 * bodies and JSON batches, random and mutated. Most inputs start from a valid file or row and are
 * broken a little, so they reach deep into the pipeline (header mapping, row
 * checks, lookups, writes) instead of stopping at the first byte.
 */

const TABLES: readonly DataTable[] = ['departments', 'jobs', 'employees'];

/** Text for a failure report: a counterexample can be megabytes long. */
function preview(bytes: Buffer | string): string {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  return text.length <= 600 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 300))} … ${JSON.stringify(text.slice(-200))} (${text.length} chars)`;
}

/** Valid files, with ids that are new (10+) and ids that the fuzz seeds (1–3), so modes and duplicates matter. */
const SEED_FILES: Record<DataTable, readonly string[]> = {
  departments: ['id,name\n10,Research\n11,"Sales, EMEA"\n1,Legal\n', '20;Ops\n21;"Q;A"\n', 'Dept ID|Department Name\r\n30|Support\r\n'],
  jobs: ['id,title\n10,Analyst\n11,"Engineer ""II"""\n', '12,Nurse\n2,Manager\n'],
  employees: [
    'id,name,hire_date,department_id,job_id\n100,Ada,2021-01-05T00:00:00Z,1,2\n101,"Lovelace, Ada",2021-02-05,2,3\n',
    '\uFEFF102,Bob,2021-03-05 10:00:00,3,1\r\n103,Cy,2021-04-05T10:00:00+02:00,1,1\r\n1,Replaced,2021-05-05,2,2\r\n',
    'Full Name;Hired At;Dept ID;Job;Employee ID\n"Di; Jr";2021-06-01T08:00:00.123Z;1;1;104\n',
  ],
};

const HEADER_NAMES = ['id', 'name', 'title', 'hire_date', 'department_id', 'job_id', 'datetime', 'department', 'job', 'Employee ID', 'dept-id', ' NAME '];

/** Bytes that break CSV framing or text decoding. */
const NASTY_BYTES: readonly (readonly number[])[] = [
  [0x22], // "
  [0x2c], // ,
  [0x3b], // ;
  [0x7c], // |
  [0x09], // tab
  [0x0d],
  [0x0a],
  [0x0d, 0x0a],
  [0x00],
  [0xff],
  [0xc3], // a lead byte without its continuation
  [0xc3, 0x28], // invalid continuation
  [0xed, 0xa0, 0x80], // an encoded surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xc0, 0xaf], // overlong
  [0xef, 0xbb, 0xbf], // a BOM in the middle
  [0xfe, 0xff],
  [0x22, 0x22, 0x22],
  [0x5c], // backslash
  [0xe2, 0x80, 0xae], // right-to-left override
  [0x3d], // =
];

type Mutation =
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'replace'; at: number; byte: number }
  | { kind: 'duplicate_line'; line: number }
  | { kind: 'truncate'; at: number };

/** A huge field: past a page, past the multipart chunk, now and then past the 1 MiB record limit. */
const hugeField = fc
  .record({ size: fc.constantFrom(300, 5_000, 70_000, 70_000, 1_100_000), quoted: fc.boolean(), char: fc.constantFrom('x', 'é', '"', ',') })
  .map(({ size, quoted, char }) => Buffer.from(`${quoted ? '"' : ''}${char.repeat(size)}`));

const insertedBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NASTY_BYTES).map((bytes) => Uint8Array.from(bytes)) },
  { weight: 3, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }).map((text) => Buffer.from(text)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 800 }).chain((n) => fc.constantFrom(',', ';', '\t').map((d) => Buffer.from(d.repeat(n)))) },
  { weight: 1, arbitrary: hugeField },
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: insertedBytes }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate_line' as const), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
);

function mutate(input: Buffer, mutations: readonly Mutation[]): Buffer {
  let bytes = input;
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : ('at' in m ? m.at : 0) % (bytes.length + 1);
    switch (m.kind) {
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
        break;
      case 'delete':
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
        break;
      case 'replace':
        if (at < bytes.length) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([m.byte]), bytes.subarray(at + 1)]);
        break;
      case 'truncate':
        bytes = bytes.subarray(0, at);
        break;
      case 'duplicate_line': {
        const lines = bytes.toString('latin1').split('\n');
        const i = m.line % lines.length;
        lines.splice(i, 0, lines[i]);
        bytes = Buffer.from(lines.join('\n'), 'latin1');
        break;
      }
    }
  }
  return bytes;
}

type Encoding = 'utf8' | 'bom' | 'double_bom' | 'utf16le' | 'utf16be' | 'latin1';
const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('utf8' as const) },
  { weight: 1, arbitrary: fc.constantFrom('bom' as const, 'double_bom' as const, 'utf16le' as const, 'utf16be' as const, 'latin1' as const) },
);

/** The bytes re-encoded as a misconfigured exporter would write them. */
function encode(bytes: Buffer, as: Encoding): Buffer {
  const text = bytes.toString('utf8');
  switch (as) {
    case 'utf8':
      return bytes;
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    case 'double_bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), bytes]);
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    case 'latin1':
      return Buffer.from(text, 'latin1');
  }
}

const csvCell: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer({ min: -5, max: 2_147_483_650 }).map(String),
  fc.constantFrom('1', '2', '3', '10', '0', '-1', '1e3', '0x1', '2147483647', '2147483648', ' 7 ', '', '""', '"a""b"', '"x,y"', '=1+1'),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2021-02-29', '2021-13-01', '2021-01-01T24:00:00Z', '9999-12-31T23:59:59.999Z', '0000-01-01', '2021-01-01T00:00:00+25:00'),
);

/** A file built from cells: random header names, many or few columns, any delimiter, quoting and line ends. */
const builtFile = fc
  .record({
    header: fc.option(fc.array(fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string({ maxLength: 10 })), { minLength: 1, maxLength: 8 }), { nil: null }),
    width: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 7 }) }, { weight: 1, arbitrary: fc.integer({ min: 8, max: 3_000 }) }),
    rows: fc.array(fc.array(csvCell, { maxLength: 7 }), { maxLength: 12 }),
    delimiter: fc.constantFrom(',', ';', '|', '\t'),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    quoteAll: fc.boolean(),
  })
  .map(({ header, width, rows, delimiter, eol, quoteAll }) => {
    const line = (cells: string[]): string => cells.map((c) => (quoteAll ? `"${c.replaceAll('"', '""')}"` : c)).join(delimiter);
    const widen = (cells: string[]): string[] => (width > 7 ? [...cells, ...Array.from({ length: width }, (_, i) => String(i))] : cells);
    const lines = [...(header ? [line(widen(header))] : []), ...rows.map((row) => line(widen(row)))];
    return { bytes: Buffer.from(lines.join(eol) + eol), delimiter };
  });

export interface CsvUpload {
  /** The file's bytes. */
  readonly file: Buffer;
  readonly table: DataTable;
  /** POST /{table}/upload, or POST /ingest/csv with the table as a field. */
  readonly endpoint: 'table' | 'ingest';
  /** Options, sent as query parameters or as fields before the file. */
  readonly options: Record<string, string>;
  readonly optionsIn: 'query' | 'fields';
  readonly filename: string;
}

const DELIMITER_OPTIONS: Record<string, string> = { ',': ',', ';': ';', '|': '|', '\t': 'tab' };

/** Upload options: mostly valid or absent; now and then one holds garbage. */
function uploadOptions(delimiter: string): fc.Arbitrary<Record<string, string>> {
  const pick = (values: string[]): fc.Arbitrary<string | undefined> =>
    fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.constant(undefined) });
  return fc
    .record({
      mode: pick(['insert', 'upsert', 'skip']),
      on_error: pick(['abort', 'skip']),
      header: fc.oneof({ weight: 4, arbitrary: pick(['auto']) }, { weight: 1, arbitrary: pick(['true', 'false']) }),
      delimiter: fc.oneof({ weight: 8, arbitrary: fc.constant(DELIMITER_OPTIONS[delimiter]) }, { weight: 1, arbitrary: pick([',', ';', '|', 'tab', '\\t']) }),
      dry_run: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pick(['true', 'false']) }),
      max_errors: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pick(['0', '1', '5']) }),
      garbage: sometimes(fc.tuple(fc.constantFrom('mode', 'on_error', 'header', 'delimiter', 'dry_run', 'max_errors', 'table'), fc.string({ maxLength: 6 })), 12),
    })
    .map(({ garbage, ...options }) => {
      const sent = Object.fromEntries(Object.entries(options).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ','));
      return garbage ? { ...sent, [garbage[0]]: garbage[1] } : sent;
    });
}

/** A CSV upload: random bytes, a mutated valid file, or a file built from random cells; then perhaps re-encoded. */
export const csvUpload: fc.Arbitrary<CsvUpload> = fc
  .record({
    table: fc.constantFrom(...TABLES),
    endpoint: fc.constantFrom('table' as const, 'ingest' as const),
    optionsIn: fc.constantFrom('query' as const, 'fields' as const),
    filename: fc.oneof({ weight: 5, arbitrary: fc.constant('upload.csv') }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) }),
    source: fc.oneof(
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2_048 }).map((bytes) => ({ kind: 'random' as const, bytes: Buffer.from(bytes), delimiter: ',' })) },
      {
        weight: 7,
        arbitrary: fc.record({
          kind: fc.constant('seed' as const),
          pick: fc.nat(),
          // Few mutations: the file stays nearly valid, and often some rows load (or would, but for one).
          mutations: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) }),
        }),
      },
      { weight: 3, arbitrary: builtFile.map((built) => ({ kind: 'built' as const, ...built })) },
    ),
    encoding,
  })
  .chain(({ table, endpoint, optionsIn, filename, source, encoding: as }) => {
    let bytes: Buffer;
    let delimiter = ',';
    if (source.kind === 'seed') {
      const files = SEED_FILES[table];
      const text = files[source.pick % files.length];
      delimiter = [';', '|'].find((d) => text.split('\n')[0].includes(d)) ?? ',';
      bytes = mutate(Buffer.from(text), source.mutations);
    } else {
      bytes = source.bytes;
      delimiter = source.delimiter;
    }
    const file = encode(bytes, as);
    return uploadOptions(delimiter).map((options) => ({
      file,
      table,
      endpoint,
      options,
      optionsIn,
      filename,
      [fc.toStringMethod]: () => `${endpoint === 'ingest' ? '/ingest/csv' : `/${table}/upload`} ${table} ${optionsIn} ${JSON.stringify(options)} ${JSON.stringify(filename)} ${preview(file)}`,
    }));
  });

export interface RawMultipart {
  readonly table: DataTable;
  /** The whole request body, framing included. */
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * A valid multipart upload (an option field, then the file), then broken
 * anywhere, framing included: boundaries cut or doubled, headers damaged, the
 * body truncated, a second file, an option after the file.
 */
export const rawMultipart: fc.Arbitrary<RawMultipart> = fc
  .record({
    table: fc.constantFrom(...TABLES),
    pick: fc.nat(),
    mode: fc.constantFrom('insert', 'upsert', 'skip'),
    extra: fc.constantFrom('', 'second_file', 'late_option'),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
    boundary: fc.oneof({ weight: 8, arbitrary: fc.constant('fuzzBoundary') }, { weight: 1, arbitrary: fc.string({ maxLength: 72 }) }),
  })
  .map(({ table, pick, mode, extra, mutations, boundary }) => {
    const files = SEED_FILES[table];
    const file = files[pick % files.length];
    const delimiter = [';', '|'].find((d) => file.split('\n')[0].includes(d)) ?? ',';
    const part = (name: string, value: string, filename?: string): string =>
      `--fuzzBoundary\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: text/csv` : ''}\r\n\r\n${value}\r\n`;
    const text =
      part('mode', mode) +
      part('delimiter', DELIMITER_OPTIONS[delimiter]) +
      part('file', file, 'upload.csv') +
      (extra === 'second_file' ? part('file', file, 'again.csv') : extra === 'late_option' ? part('on_error', 'skip') : '') +
      '--fuzzBoundary--\r\n';
    const body = mutate(Buffer.from(text), mutations);
    return {
      table,
      body,
      contentType: `multipart/form-data; boundary=${boundary}`,
      [fc.toStringMethod]: () => `/${table}/upload boundary=${JSON.stringify(boundary)} ${preview(body)}`,
    };
  });

// ---------------------------------------------------------------------------
// JSON batches

/** `arbitrary` once in `oneIn` draws, undefined otherwise. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

/** Mostly a valid value, now and then a wrong one. */
function mostly<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: wrongValue });
}

const COLUMNS: Record<DataTable, readonly string[]> = {
  departments: ['id', 'name'],
  jobs: ['id', 'title'],
  employees: ['id', 'name', 'hire_date', 'department_id', 'job_id'],
};

function validValue(column: string): fc.Arbitrary<unknown> {
  // Mostly new ids; now and then one the fuzz seeds (1–3), which matters per mode.
  if (column === 'id') return fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 8, arbitrary: fc.integer({ min: 10, max: 5_000 }) });
  // Seeded references, and now and then one that does not exist.
  if (column.endsWith('_id')) return fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constant(4) });
  if (column === 'hire_date') return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  return fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 });
}

/** A value of the wrong kind, or of the right kind at its edges. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2_147_483_648, Number.MAX_SAFE_INTEGER, -0, '', ' ', '1', '0x10', '1e3', 'NaN', '\u0000', '\ud800', '2021-02-30'),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(256, 70_000).map((n) => 'y'.repeat(n)),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

/** A row: mostly valid, so whole batches often load; a damaged one has a wrong value, a missing column or an extra one. */
function batchRow(table: DataTable): fc.Arbitrary<unknown> {
  const columns = COLUMNS[table];
  const valid = fc.record({
    values: fc.tuple(...columns.map(validValue)),
    drop: fc.constant([] as string[]),
    extra: fc.constant(undefined),
  });
  const damaged = fc.record({
    values: fc.tuple(...columns.map((c) => fc.oneof({ weight: 2, arbitrary: validValue(c) }, { weight: 1, arbitrary: wrongValue }))),
    drop: sometimes(fc.constantFrom(...columns), 4).map((column) => (column ? [column] : [])),
    extra: sometimes(fc.tuple(fc.constantFrom('url', 'extra', '__proto__', 'constructor', 'ID', 'name '), fc.jsonValue({ maxDepth: 2 })), 4),
  });
  const row = fc
    .oneof({ weight: 20, arbitrary: valid }, { weight: 1, arbitrary: damaged })
    .map(({ values, drop, extra }) => {
      const object: Record<string, unknown> = {};
      columns.forEach((c, i) => {
        if (!drop.includes(c)) object[c] = values[i];
      });
      // defineProperty: a key named __proto__ becomes an own property, as JSON.parse makes it.
      if (extra) Object.defineProperty(object, extra[0], { value: extra[1], enumerable: true, writable: true, configurable: true });
      return object;
    });
  return fc.oneof({ weight: 60, arbitrary: row }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
}

export interface BatchPost {
  readonly table: DataTable;
  /** The body exactly as sent. */
  readonly body: string;
  readonly contentType: string;
}

/** JSON nested `depth` deep inside an otherwise plausible batch. */
const deepJson = fc.record({ depth: fc.constantFrom(50, 1_000, 20_000, 200_000), open: fc.constantFrom('[', '{"a":') }).map(({ depth, open }) => {
  const close = open === '[' ? ']' : '}';
  return `{"rows":[{"id":1,"name":${open.repeat(depth)}1${close.repeat(depth)}}]}`;
});

/** A JSON batch: a mostly valid envelope of mutated rows, or a body that is barely JSON. */
export const batchPost: fc.Arbitrary<BatchPost> = fc
  .record({
    table: fc.constantFrom(...TABLES),
    contentType: fc.oneof(
      { weight: 12, arbitrary: fc.constant('application/json') },
      { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-16', 'text/plain', 'application/merge-patch+json', 'application/json; charset=latin1') },
    ),
  })
  .chain(({ table, contentType }) => {
    const envelope = fc
      .record({
        mode: sometimes(mostly(fc.constantFrom('insert', 'upsert', 'skip')), 2),
        dry_run: sometimes(mostly(fc.boolean()), 4),
        rows: fc.oneof(
          { weight: 10, arbitrary: fc.array(batchRow(table), { minLength: 1, maxLength: 25 }) },
          { weight: 1, arbitrary: fc.oneof(fc.constant([]), wrongValue, fc.constant(Array.from({ length: 1_001 }, (_, i) => ({ id: i + 1, name: `n${i}` })))) },
        ),
        extra: sometimes(fc.constantFrom('url', 'source', 'table'), 20),
      })
      .map(({ mode, dry_run, rows, extra }) => JSON.stringify({ mode, dry_run, rows, ...(extra ? { [extra]: 'http://127.0.0.1:1/x' } : {}) }));
    const raw = fc.oneof(
      deepJson,
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null'),
      fc.string({ unit: 'binary', maxLength: 200 }),
      envelope.chain((text) => fc.nat({ max: text.length }).map((at) => text.slice(0, at))),
      fc.constantFrom(
        '{"__proto__":{"rows":[{"id":1,"name":"x"}]}}',
        '{"rows":[{"__proto__":{"id":1},"id":5,"name":"x"}]}',
        '{"rows":[{"constructor":{"prototype":{"polluted":true}},"id":6,"name":"x"}]}',
        '{"rows":[{"id":1,"name":"x"}],"rows":[]}',
        '{"rows":[{"id":1e400,"name":"x"}]}',
        '{"rows":[{"id":1,"name":"\\ud800"}]}',
        '\ufeff{"rows":[{"id":1,"name":"x"}]}',
        '',
        'null',
      ),
    );
    return fc
      .oneof({ weight: 5, arbitrary: envelope }, { weight: 2, arbitrary: raw })
      .map((body) => ({ table, body, contentType, [fc.toStringMethod]: () => `/${table}/batch ${contentType} ${preview(body)}` }));
  });

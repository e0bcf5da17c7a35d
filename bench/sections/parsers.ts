import { parse as fastCsvParse } from '@fast-csv/parse';
import { createReadStream } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createCsvParser } from '../../src/ingest/pipeline/csv-parser';
import { BenchFiles } from '../lib/generate';
import { Figure } from '../lib/report';

/** Rows per second of a parser alone on the bench file: bytes from disk, one array of cells per row. */
async function parseRate(files: BenchFiles, parser: () => Transform): Promise<number> {
  let rows = 0;
  const count = new Writable({
    objectMode: true,
    highWaterMark: 1024,
    write(_row, _encoding, callback) {
      rows++;
      callback();
    },
  });
  const started = performance.now();
  await pipeline(createReadStream(files.employees), parser(), count);
  const seconds = (performance.now() - started) / 1000;
  if (rows !== files.rows) throw new Error(`parser read ${rows} rows of ${files.rows}`);
  return rows / seconds;
}

/**
 * Why the upload parses with csv-parse although fast-csv was the first
 * choice: both on the same file, best of three each, in this run.
 */
export async function benchParsers(files: BenchFiles): Promise<Figure> {
  const best = async (parser: () => Transform): Promise<number> => {
    let rate = 0;
    for (let i = 0; i < 3; i++) rate = Math.max(rate, await parseRate(files, parser));
    return rate;
  };
  const fastCsv = await best(() => fastCsvParse({ delimiter: ',', quote: '"', escape: '"', ignoreEmpty: false, trim: false }));
  const ours = await best(() => createCsvParser(','));
  return { figure: 'Parse only: csv-parse, our parser (vs fast-csv)', ours, baseline: fastCsv, unit: 'rows/s' };
}

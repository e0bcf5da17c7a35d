import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export const BENCH_DEPARTMENTS = 12;
export const BENCH_JOBS = 183;

export interface BenchFiles {
  readonly departments: string;
  readonly jobs: string;
  readonly employees: string;
  readonly rows: number;
  readonly bytes: number;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same file on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ana', 'Bruno', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Gustavo', 'Hana', 'Ivan', 'Júlia', 'Kofi', 'Lena'];
const LAST = ['Silva', 'Okafor', 'Novak', 'Tanaka', 'Müller', 'García', "O'Brien", 'Nguyen', 'Rossi', 'Kowalski'];

/**
 * Writes the legacy files (no header): departments (12), jobs (183) and
 * `rows` employees as id,name,datetime,department_id,job_id, streamed to disk.
 */
export async function generateLegacyFiles(dir: string, rows: number, seed = 42): Promise<BenchFiles> {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const departments = join(dir, 'departments.csv');
  const jobs = join(dir, 'jobs.csv');
  const employees = join(dir, `employees-${rows}.csv`);
  await writeLines(departments, BENCH_DEPARTMENTS, (i) => `${i},Department ${i}\n`);
  await writeLines(jobs, BENCH_JOBS, (i) => `${i},"Job ${i}, level ${1 + (i % 4)}"\n`);
  const start = Date.UTC(2019, 0, 1);
  const span = Date.UTC(2023, 0, 1) - start;
  const bytes = await writeLines(employees, rows, (i) => {
    const hired = new Date(start + Math.floor(next() * span)).toISOString().replace('.000Z', 'Z');
    const department = 1 + Math.floor(next() * BENCH_DEPARTMENTS);
    const job = 1 + Math.floor(next() * BENCH_JOBS);
    return `${i},${pick(FIRST)} ${pick(LAST)},${hired},${department},${job}\n`;
  });
  return { departments, jobs, employees, rows, bytes };
}

async function writeLines(path: string, count: number, line: (i: number) => string): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let batch = '';
  for (let i = 1; i <= count; i++) {
    batch += line(i);
    if (batch.length > 1 << 16 || i === count) {
      bytes += Buffer.byteLength(batch);
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

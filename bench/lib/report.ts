import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Figure {
  readonly figure: string;
  readonly ours: number;
  readonly baseline: number | null;
  readonly unit: string;
  /** What the ratio ours/baseline should be: e.g. ">= 1.0" or "<= 1.2". */
  readonly target?: string;
}

export function ratio(figure: Figure): number | null {
  return figure.baseline ? figure.ours / figure.baseline : null;
}

const fmt = (value: number | null, unit = ''): string => {
  if (value === null) return '–';
  const text = Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2);
  return unit ? `${text} ${unit}` : text;
};

/** One table: figure, ours, baseline, ratio (ours / baseline), target. */
export function printTable(figures: readonly Figure[]): string {
  const rows = [
    ['figure', 'ours', 'baseline', 'ratio', 'target'],
    ...figures.map((f) => [f.figure, fmt(f.ours, f.unit), fmt(f.baseline, f.unit), f.baseline ? `${fmt(ratio(f))}×` : '–', f.target ?? '']),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  const table = [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
  console.log(`\n${table}\n`);
  return table;
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function writeResults(dir: string, rows: number, figures: readonly Figure[], table: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const results = { date: new Date().toISOString(), machine: machine(), rows, figures: figures.map((f) => ({ ...f, ratio: ratio(f) })), table };
  writeFileSync(path, JSON.stringify(results, null, 2));
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2));
  return path;
}

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

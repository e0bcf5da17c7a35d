import { ScenarioOutcome } from './drive';

/** Nearest-rank percentile of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface ScenarioFigures {
  scenario: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  non2xx: number;
  wrongAnswers: number;
  transportErrors: number;
  errorRate: number;
}

export function figuresOf(outcome: ScenarioOutcome): ScenarioFigures {
  const requests = outcome.latenciesMs.length;
  const failed = outcome.non2xx + outcome.wrongAnswers + outcome.transportErrors;
  return {
    scenario: outcome.scenario.name,
    requests,
    requestsPerSecond: requests / outcome.seconds,
    p50Ms: percentile(outcome.latenciesMs, 50),
    p95Ms: percentile(outcome.latenciesMs, 95),
    p99Ms: percentile(outcome.latenciesMs, 99),
    non2xx: outcome.non2xx,
    wrongAnswers: outcome.wrongAnswers,
    transportErrors: outcome.transportErrors,
    errorRate: failed / Math.max(requests + outcome.transportErrors, 1),
  };
}

/** What broke the scenario's thresholds, or the zero-error bar; empty when it passed. */
export function breaches(outcome: ScenarioOutcome, figures: ScenarioFigures): string[] {
  const { maxErrorRate, p95Ms } = outcome.scenario.thresholds;
  const found: string[] = [];
  if (figures.requests === 0) found.push('no request was answered');
  if (figures.errorRate > maxErrorRate) found.push(`error rate ${(figures.errorRate * 100).toFixed(2)}% > ${maxErrorRate * 100}%`);
  if (figures.non2xx + figures.wrongAnswers + figures.transportErrors > 0) {
    found.push(`${figures.non2xx} non-2xx, ${figures.wrongAnswers} wrong answers, ${figures.transportErrors} transport errors (the bar is zero)`);
  }
  if (!(figures.p95Ms <= p95Ms)) found.push(`p95 ${figures.p95Ms.toFixed(1)} ms > ${p95Ms} ms`);
  return found;
}

const ms = (value: number): string => (Number.isNaN(value) ? '–' : value.toFixed(1));

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
}

export function printScenario(outcome: ScenarioOutcome, figures: ScenarioFigures, problems: string[]): void {
  const { scenario } = outcome;
  console.log(`\n${scenario.name}: ${scenario.summary}; ${scenario.concurrency} connection(s), ${outcome.seconds.toFixed(1)} s`);
  printTable([
    ['endpoint', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'failed'],
    ...[...outcome.byEndpoint].map(([name, endpoint]) => [
      name,
      String(endpoint.latenciesMs.length),
      ms(percentile(endpoint.latenciesMs, 50)),
      ms(percentile(endpoint.latenciesMs, 95)),
      ms(percentile(endpoint.latenciesMs, 99)),
      String(endpoint.failures),
    ]),
  ]);
  for (const sample of outcome.problemSamples) console.log(`  problem: ${sample}`);
  const verdict = problems.length ? `FAILED: ${problems.join('; ')}` : 'passed';
  console.log(
    `  => ${figures.requestsPerSecond.toFixed(1)} req/s, p50 ${ms(figures.p50Ms)} ms, p95 ${ms(figures.p95Ms)} ms ` +
      `(threshold ${scenario.thresholds.p95Ms}), p99 ${ms(figures.p99Ms)} ms; ${verdict}`,
  );
}

export function printSummary(label: string, all: ScenarioFigures[]): void {
  console.log(`\nsummary (${label})`);
  printTable([
    ['scenario', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx', 'wrong', 'errors'],
    ...all.map((f) => [
      f.scenario,
      String(f.requests),
      f.requestsPerSecond.toFixed(1),
      ms(f.p50Ms),
      ms(f.p95Ms),
      ms(f.p99Ms),
      String(f.non2xx),
      String(f.wrongAnswers),
      String(f.transportErrors),
    ]),
  ]);
}

import autocannon from 'autocannon';
import { PreparedRequest, ROWS_PER_WRITE, Scenario, SeedState, problemWith, requestForStep } from '../scenarios';

export interface EndpointOutcome {
  latenciesMs: number[];
  failures: number;
}

export interface ScenarioOutcome {
  scenario: Scenario;
  /** As measured by autocannon, for req/s. */
  seconds: number;
  /** Every answered request's latency, whatever its status (autocannon keeps 2xx only, and has no p95). */
  latenciesMs: number[];
  byEndpoint: Map<string, EndpointOutcome>;
  non2xx: number;
  /** Answers with the expected status but the wrong body, or with an unexpected 2xx. */
  wrongAnswers: number;
  /** Connection errors and timeouts: requests that got no answer. */
  transportErrors: number;
  problemSamples: string[];
  /** Steps handed out, so a later scenario's id blocks start after all of them. */
  steps: number;
}

const MAX_PROBLEM_SAMPLES = 5;
/** Generous: on SQLite uploads queue behind one another, and a timeout would count as an error. */
const REQUEST_TIMEOUT_SECONDS = 30;

/** autocannon's per-connection context: the request that connection has in flight (one at a time, no pipelining). */
interface ConnectionContext {
  inFlight?: PreparedRequest;
}

function emptyOutcome(scenario: Scenario, seconds: number): ScenarioOutcome {
  return {
    scenario,
    seconds,
    latenciesMs: [],
    byEndpoint: new Map(scenario.mix.map(({ endpoint }) => [endpoint.name, { latenciesMs: [], failures: 0 }])),
    non2xx: 0,
    wrongAnswers: 0,
    transportErrors: 0,
    problemSamples: [],
    steps: 0,
  };
}

/**
 * Runs one scenario for `seconds` with autocannon: each connection sends the
 * scenario's next request (endpoint, body and id block from the shared
 * definition) and every answer is judged with the same rule as in k6.
 */
export function runScenario(baseUrl: string, scenario: Scenario, seed: SeedState, seconds: number): Promise<ScenarioOutcome> {
  const outcome = emptyOutcome(scenario, seconds);
  // autocannon calls onResponse and then, synchronously, emits 'response'
  // with the latency: this carries the endpoint from the one to the other.
  let lastAnswered: PreparedRequest | undefined;

  const judge = (status: number, body: string, context: object): void => {
    const request = (context as ConnectionContext).inFlight as PreparedRequest;
    lastAnswered = request;
    const problem = problemWith(request, status, body);
    if (!problem) return;
    if (status < 200 || status > 299) outcome.non2xx += 1;
    else outcome.wrongAnswers += 1;
    (outcome.byEndpoint.get(request.endpoint) as EndpointOutcome).failures += 1;
    if (outcome.problemSamples.length < MAX_PROBLEM_SAMPLES) outcome.problemSamples.push(`${request.method} ${request.path}: ${problem}`);
  };

  const nextRequest = (template: autocannon.Request, context: object): autocannon.Request => {
    const request = requestForStep(scenario, seed, outcome.steps, Math.random);
    outcome.steps += 1;
    (context as ConnectionContext).inFlight = request;
    // A fresh headers object: autocannon adds Content-Length to the one it is given, and keeps it.
    return { ...template, method: request.method, path: request.path, headers: { ...request.headers }, body: request.body ?? undefined };
  };

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: scenario.concurrency,
        duration: seconds,
        timeout: REQUEST_TIMEOUT_SECONDS,
        requests: [{ setupRequest: nextRequest, onResponse: judge }],
      },
      (error, result) => {
        if (error) return reject(error);
        outcome.transportErrors = result.errors;
        outcome.seconds = result.duration;
        resolve(outcome);
      },
    );
    instance.on('response', (_client, _status, _bytes, latencyMs) => {
      outcome.latenciesMs.push(latencyMs);
      if (lastAnswered) outcome.byEndpoint.get(lastAnswered.endpoint)?.latenciesMs.push(latencyMs);
    });
  });
}

/** The seed state for the scenario after `outcome`: fresh ids start past every block it handed out, answered or not. */
export function advancePastIdsUsed(seed: SeedState, outcome: ScenarioOutcome): SeedState {
  return { ...seed, firstFreeEmployeeId: seed.firstFreeEmployeeId + outcome.steps * ROWS_PER_WRITE };
}

/** k6 run test/load/k6/ingest-mix.ts — CSV uploads and JSON batches; writes rows (use a disposable database). */
import { SCENARIOS, type SeedState } from '../scenarios.ts';
import { optionsFor, runStep, seedAndDiscover } from './lib.ts';

const scenario = SCENARIOS.ingest_mix;

export const options = optionsFor(scenario);

export function setup(): SeedState {
  return seedAndDiscover();
}

export default function (seed: SeedState): void {
  runStep(scenario, seed);
}

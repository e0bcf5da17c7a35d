/** k6 run test/load/k6/read-mix.ts — lists, single rows and both metrics, weighted. */
import { SCENARIOS, type SeedState } from '../scenarios.ts';
import { optionsFor, runStep, seedAndDiscover } from './lib.ts';

const scenario = SCENARIOS.read_mix;

export const options = optionsFor(scenario);

export function setup(): SeedState {
  return seedAndDiscover();
}

export default function (seed: SeedState): void {
  runStep(scenario, seed);
}

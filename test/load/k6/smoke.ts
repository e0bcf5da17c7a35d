/** k6 run test/load/k6/smoke.ts — every endpoint in turn, one virtual user. */
import { SCENARIOS, type SeedState } from '../scenarios.ts';
import { optionsFor, runStep, seedAndDiscover } from './lib.ts';

const scenario = SCENARIOS.smoke;

export const options = optionsFor(scenario);

export function setup(): SeedState {
  return seedAndDiscover();
}

export default function (seed: SeedState): void {
  runStep(scenario, seed);
}

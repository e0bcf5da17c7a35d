import { ApiProblem } from '../common/api-problem';
import { Ingestion } from './entities/ingestion.entity';
import { BackgroundLoad, IngestJobs } from './ingest-jobs.service';
import { IngestionHeartbeat } from './ingestion-heartbeat.service';
import { IngestionInterrupted } from './ingestion-interrupted';

/** A load that runs until stopped, recording what happened to it. */
function stoppableLoad(): BackgroundLoad & { stoppedWith: IngestionInterrupted | null; cleaned: boolean } {
  let fail: (reason: unknown) => void = () => undefined;
  const load = {
    stoppedWith: null as IngestionInterrupted | null,
    cleaned: false,
    run: () => new Promise<unknown>((_resolve, reject) => (fail = reject)),
    stop: (reason: IngestionInterrupted) => {
      load.stoppedWith = reason;
      fail(reason);
    },
    cleanUp: async () => {
      load.cleaned = true;
    },
  };
  return load;
}

describe(IngestJobs.name, () => {
  const heartbeat = { track: () => () => undefined } as unknown as IngestionHeartbeat;
  const ingestion = (id: number) => ({ id }) as Ingestion;

  const stop = new IngestionInterrupted('stopped');

  it('refusing new jobs leaves the running ones alone', () => {
    const jobs = new IngestJobs(heartbeat);
    const load = stoppableLoad();
    jobs.start(ingestion(1), load);

    jobs.refuseNew();

    expect(() => jobs.assertAccepting()).toThrow(expect.objectContaining({ status: 503, code: 'shutting_down' }) as ApiProblem);
    expect(load.stoppedWith).toBeNull();
    expect(jobs.size).toBe(1);
  });

  it('stopAll stops every job, waits for them and cleans up after each', async () => {
    const jobs = new IngestJobs(heartbeat);
    const loads = [stoppableLoad(), stoppableLoad()];
    loads.forEach((load, i) => jobs.start(ingestion(i + 1), load));

    await jobs.stopAll(stop);

    expect(loads.map((l) => l.stoppedWith)).toEqual([expect.any(IngestionInterrupted), expect.any(IngestionInterrupted)]);
    expect(loads.map((l) => l.cleaned)).toEqual([true, true]);
    expect(jobs.size).toBe(0);
  });

  it('once stopped, refuses new uploads with 503 and stops at once a job accepted in the meantime', async () => {
    const jobs = new IngestJobs(heartbeat);
    await jobs.stopAll(stop);

    expect(() => jobs.assertAccepting()).toThrow(expect.objectContaining({ status: 503, code: 'shutting_down' }) as ApiProblem);
    const late = stoppableLoad();
    jobs.start(ingestion(3), late);
    expect(late.stoppedWith).toBe(stop);
    await new Promise((resolve) => setImmediate(resolve));
    expect(late.cleaned).toBe(true);
  });
});

import { AppConfig } from '../config/app-config';
import { IngestJobs } from './ingest-jobs.service';
import { IngestionAdmission } from './ingestion-admission';
import { TooManyIngestions } from './too-many-ingestions';

function admission(maxPendingLoads: number, jobs: { size: number }): IngestionAdmission {
  const config = { ingest: { maxPendingLoads, retryAfterSeconds: 7 } } as unknown as AppConfig;
  return new IngestionAdmission(config, jobs as IngestJobs);
}

function held(): { promise: Promise<string>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<string>((resolve) => (release = () => resolve('done')));
  return { promise, release };
}

describe(IngestionAdmission.name, () => {
  it('runs ingestions up to the limit, refuses the next with 429 and Retry-After, and has room again once one ends', async () => {
    const gate = admission(2, { size: 0 });
    const first = held();
    const second = held();
    const running = [gate.admit(() => first.promise), gate.admit(() => second.promise)];
    const refused = gate.admit(() => Promise.resolve('never'));
    await expect(refused).rejects.toBeInstanceOf(TooManyIngestions);
    await expect(refused).rejects.toMatchObject({ status: 429, code: 'too_many_ingestions', headers: { 'retry-after': '7' } });
    first.release();
    await running[0];
    await expect(gate.admit(() => Promise.resolve('next'))).resolves.toBe('next');
    second.release();
    await running[1];
  });

  it('frees the place of an ingestion that failed', async () => {
    const gate = admission(1, { size: 0 });
    await expect(gate.admit(() => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    await expect(gate.admit(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('counts background jobs, queued or running', async () => {
    const jobs = { size: 1 };
    const gate = admission(2, jobs);
    const one = held();
    const running = gate.admit(() => one.promise);
    await expect(gate.admit(() => Promise.resolve('x'))).rejects.toBeInstanceOf(TooManyIngestions);
    jobs.size = 0;
    await expect(gate.admit(() => Promise.resolve('x'))).resolves.toBe('x');
    one.release();
    await running;
  });

  it('names the limit in the answer', () => {
    const problem = new TooManyIngestions(16, 10);
    expect(problem.toBody()).toMatchObject({ status: 429, type: '/problems/too_many_ingestions', max_pending_loads: 16 });
    expect(problem.detail).toContain('ingest.max_pending_loads');
  });
});

import { Semaphore } from './semaphore';

describe(Semaphore.name, () => {
  it('runs at most `permits` pieces of work at once, the rest in arrival order', async () => {
    const semaphore = new Semaphore(2);
    const events: string[] = [];
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const work = (name: string) =>
      semaphore.run(async () => {
        running++;
        most = Math.max(most, running);
        events.push(`start ${name}`);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
        return name;
      });
    const all = Promise.all(['a', 'b', 'c', 'd'].map(work));
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['start a', 'start b']);
    while (gates.length > 0) {
      gates.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await expect(all).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect(events).toEqual(['start a', 'start b', 'start c', 'start d']);
    expect(most).toBe(2);
  });

  it('gives the permit back when the work fails', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(async () => 'next')).resolves.toBe('next');
  });
});

import type { FastifyRequest } from 'fastify';
import { PassThrough, Writable } from 'node:stream';
import { once } from 'node:events';
import { drainRequest } from './drain-request';

describe(drainRequest.name, () => {
  it('reads to its end a body piped into a consumer that stopped reading', async () => {
    const raw = new PassThrough({ highWaterMark: 16 });
    // A consumer that never calls back: backpressure pauses the body, as a multipart parser waiting on a part.
    const stalled = new Writable({ highWaterMark: 16, write: () => undefined });
    raw.pipe(stalled);
    const sending = (async () => {
      for (let i = 0; i < 100; i++) if (!raw.write(Buffer.alloc(1024))) await once(raw, 'drain');
      raw.end();
    })();
    await new Promise((resolve) => setImmediate(resolve));
    expect(raw.readableEnded).toBe(false);

    drainRequest({ raw } as unknown as FastifyRequest);
    await sending;
    await once(raw, 'end');
    expect(raw.readableEnded).toBe(true);
  });

  it('leaves a body that was read to its end alone', async () => {
    const raw = new PassThrough();
    raw.end('done');
    raw.resume();
    await once(raw, 'end');
    expect(() => drainRequest({ raw } as unknown as FastifyRequest)).not.toThrow();
  });
});

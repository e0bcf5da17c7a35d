import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/**
 * Counts the requests being served, so a shutdown knows when the last one is
 * done. Once draining, answers carry `Connection: close`: a client on a
 * kept-alive connection is told to reconnect (to another instance) rather than
 * send more work here.
 */
@Injectable()
export class InFlightRequests {
  private count = 0;
  private draining = false;

  attach(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      this.count++;
      // 'close' fires once per response, finished or cut off: the count cannot leak.
      reply.raw.once('close', () => this.count--);
      if (this.draining) void reply.header('connection', 'close');
      done();
    });
  }

  get size(): number {
    return this.count;
  }

  startDraining(): void {
    this.draining = true;
  }
}

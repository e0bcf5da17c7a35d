import fastifyMultipart from '@fastify/multipart';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { requestId } from './common/logging';
import { AppValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { setUpOpenApi } from './openapi';
import { livenessFirstServer, registerLivenessRoute } from './health/liveness.route';
import { InFlightRequests } from './lifecycle/in-flight-requests';

// JSON batches of 1000 rows with long names stay well under this.
const JSON_BODY_LIMIT = 5 * 1024 * 1024;
// Idle kept-alive connections stay open longer than a load balancer in front keeps
// its side (AWS ALB: up to 300 s in infra/aws): otherwise it may send a request on
// a connection this server is closing, and the client gets a 502.
const KEEP_ALIVE_TIMEOUT_MS = 305_000;

/** Builds the whole HTTP application; main.ts and the e2e harness both use it. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    genReqId: (request: IncomingMessage) => {
      const id = requestId(request);
      (request as { id?: string }).id = id;
      return id;
    },
    bodyLimit: JSON_BODY_LIMIT,
    serverFactory: livenessFirstServer(KEEP_ALIVE_TIMEOUT_MS),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(new AppValidationPipe());

  const fastify = app.getHttpAdapter().getInstance();
  await app.register(fastifyMultipart, {
    limits: { files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25, headerPairs: 100 },
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.get(InFlightRequests).attach(fastify);
  registerLivenessRoute(fastify);
  setUpOpenApi(app);
  await app.init();
  return app;
}

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
import { registerAdminUi } from './admin/admin-ui';
import { protectDocs } from './auth/docs-access';
import { ApiKeyRegistry } from './auth/api-key-registry';
import { livenessFirstServer, registerLivenessRoute } from './health/liveness.route';
import { InFlightRequests } from './lifecycle/in-flight-requests';
import { applyBodyLimits } from './http/body-limits';
import { problemClientErrorHandler } from './http/client-error-handler';
import { registerCors } from './http/cors';
import { registerRateLimit } from './http/rate-limit';
import { registerSecurityHeaders } from './http/security-headers';
import { multipartLimits } from './ingest/multipart-upload.reader';

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
    // JSON bodies; batch routes have their own limit (applyBodyLimits), multipart uploads theirs (multipartLimits).
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    serverFactory: livenessFirstServer(KEEP_ALIVE_TIMEOUT_MS, config.server),
    clientErrorHandler: problemClientErrorHandler(config.server),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(new AppValidationPipe());

  const fastify = app.getHttpAdapter().getInstance();
  // Before any route exists: these apply to the routes registered after them (Nest's, at init).
  applyBodyLimits(fastify, { batch: config.ingest.maxBatchBytes });
  await registerSecurityHeaders(app);
  // CORS before the rate limit, so a browser can read a 429 too.
  await registerCors(app, config.cors.origins);
  await registerRateLimit(app, config.rateLimit);
  await app.register(fastifyMultipart, { limits: multipartLimits(config.ingest) });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.get(InFlightRequests).attach(fastify);
  registerLivenessRoute(fastify);
  // The admin web UI (static files, public; its API calls carry the key): /admin.
  await registerAdminUi(fastify);
  if (config.auth.protectDocs) protectDocs(fastify, app.get(ApiKeyRegistry));
  setUpOpenApi(app);
  await app.init();
  return app;
}

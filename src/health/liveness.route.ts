import { IncomingMessage, Server, ServerOptions, ServerResponse, createServer } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export const LIVENESS_PATH = '/health/live';
const ALIVE = { status: 'ok' } as const;
const ALIVE_SCHEMA: SchemaObject = { type: 'object', properties: { status: { type: 'string', example: 'ok' } }, required: ['status'] };

/**
 * GET /health/live on Fastify: what answers HEAD and a GET with a query
 * string (livenessFirstServer answers the plain GET before Fastify). No I/O,
 * no log line: probes call it constantly, from every load balancer.
 */
export function registerLivenessRoute(fastify: FastifyInstance): void {
  fastify.get(LIVENESS_PATH, { logLevel: 'silent', schema: { response: { 200: ALIVE_SCHEMA } } }, async () => ALIVE);
}

const ALIVE_BODY = JSON.stringify(ALIVE);
const ALIVE_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(ALIVE_BODY) };

/**
 * The HTTP server, answering `GET /health/live` itself before the request
 * reaches Fastify (its hooks, the logging middleware, request ids): a probe
 * then costs what a bare Node server costs. Every other request, and
 * variants of this one (HEAD, a query string), go to Fastify, where
 * registerLivenessRoute answers the same.
 */
export function livenessFirstServer(keepAliveTimeoutMs: number, limits?: ServerLimits) {
  return (handler: (request: IncomingMessage, response: ServerResponse) => void): Server => {
    const server = createServer(limits ? serverOptions(limits) : {}, (request, response) => {
      if (request.method === 'GET' && request.url === LIVENESS_PATH) {
        response.writeHead(200, ALIVE_HEADERS);
        response.end(ALIVE_BODY);
        return;
      }
      handler(request, response);
    });
    // Fastify sets these on servers it creates itself, not on one from a factory.
    server.keepAliveTimeout = keepAliveTimeoutMs;
    // Idle time during a request; between requests keepAliveTimeout applies instead.
    if (limits) server.setTimeout(limits.idleTimeoutMs);
    return server;
  };
}

/** The request limits of the HTTP server (see AppConfig.server). */
export interface ServerLimits {
  readonly maxHeaderBytes: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly idleTimeoutMs: number;
}

function serverOptions(limits: ServerLimits): ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node looks for requests past their timeouts this often (30 s by default): a fraction of the
    // headers timeout, so a slow sender is cut near that time rather than up to 30 s later.
    connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/** The route in the OpenAPI document, which Nest only builds from its controllers. */
export function documentLivenessRoute(document: OpenAPIObject): void {
  document.paths[LIVENESS_PATH] = {
    get: {
      operationId: 'getLiveness',
      summary: 'Liveness: the process answers (no I/O)',
      tags: ['health'],
      responses: { '200': { description: 'The process is alive.', content: { 'application/json': { schema: ALIVE_SCHEMA } } } },
    },
  };
}

import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './to-problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Every error leaves the API as RFC 9457 problem details. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}

export function sendProblem(exception: unknown, request: FastifyRequest, reply: FastifyReply, logger: Pick<Logger, 'error'>): void {
  const { status, body, unexpected, headers } = toProblem(exception, { bodyLimit: request.routeOptions?.bodyLimit });
  if (unexpected) logger.error({ err: exception, reqId: request.id }, 'unhandled error');
  if (reply.sent) return;
  void reply
    .status(status)
    .headers(headers ?? {})
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send({ ...body, instance: request.url, request_id: String(request.id) });
}

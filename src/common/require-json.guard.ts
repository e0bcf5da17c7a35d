import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from './api-problem';

/**
 * A JSON endpoint answers 415 to any other body, instead of reporting the
 * fields a text or form body happens to lack.
 */
@Injectable()
export class RequireJsonGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const type = context.switchToHttp().getRequest<FastifyRequest>().headers['content-type'] ?? '';
    if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
      throw new ApiProblem(415, 'unsupported_media_type', `expected an application/json body (got ${type || 'no content type'})`);
    }
    return true;
  }
}

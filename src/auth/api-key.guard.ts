import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblem } from '../common/api-problem';
import { ApiKeyIdentity, roleAllows } from './api-key';
import { ApiKeyRegistry } from './api-key-registry';
import { ACCESS, Access } from './access.decorators';

declare module 'fastify' {
  interface FastifyRequest {
    /** The key the request was let in with; absent when authentication is off or the route is public. */
    apiKey?: ApiKeyIdentity;
  }
}

/**
 * Every route needs the role its @RequiresRole names (admin when it names
 * none: a route added without thinking about it is closed, not open). 401
 * without a valid key, 403 with a key of too low a role. The key itself is
 * never echoed: answers name the key by its configured name.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const needed = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [context.getHandler(), context.getClass()]) ?? 'admin';
    if (needed === 'public' || !this.keys.enforced) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const { presented, key } = this.keys.identifyRequest(request);
    if (key === null) {
      void http.getResponse<FastifyReply>().header('www-authenticate', 'Bearer realm="db-migration-api"');
      throw new ApiProblem(
        401,
        'unauthorized',
        !presented
          ? 'this endpoint needs an API key: send Authorization: Bearer <key> or X-API-Key: <key>'
          : 'the API key is not valid',
      );
    }
    if (!roleAllows(key.role, needed)) {
      throw new ApiProblem(403, 'forbidden', `the API key "${key.name}" has the role ${key.role}; this endpoint needs ${needed}`, {
        required_role: needed,
      });
    }
    request.apiKey = key;
    return true;
  }
}

import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from '../common/problem-details.filter';
import { ApiProblem } from '../common/api-problem';
import { roleAllows } from './api-key';
import { ApiKeyRegistry } from './api-key-registry';

/**
 * auth.protect_docs: Swagger UI and the OpenAPI document need a read key too.
 * They are Fastify routes of their own (not Nest's), so a hook guards them.
 */
export function protectDocs(fastify: FastifyInstance, keys: ApiKeyRegistry): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!keys.enforced || !/^\/docs(?:[/?-]|$)/.test(request.url)) return;
    const { key } = keys.identifyRequest(request);
    if (key !== null && roleAllows(key.role, 'read')) return;
    const problem = new ApiProblem(401, 'unauthorized', 'the API documentation needs an API key (auth.protect_docs): send Authorization: Bearer <key>');
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="db-migration-api"')
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send({ ...problem.toBody(), instance: request.url, request_id: String(request.id) });
  });
}

import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ApiProblem } from '../common/api-problem';
import { PROBLEM_CONTENT_TYPE } from '../common/problem-details.filter';

export const ADMIN_PREFIX = '/admin';

/**
 * Where `npm run build:ui` writes the UI: dist/admin, beside the compiled API
 * (dist/src), so the image ships it with the rest of dist. Found from this
 * file's place: dist/src/admin when built, src/admin under ts-node and jest.
 */
export function defaultAdminUiDir(): string {
  const up = join(__dirname, '..', '..');
  return basename(up) === 'dist' ? join(up, 'admin') : join(up, 'dist', 'admin');
}

// Vite names every asset by its content's hash: a cached one is never stale. index.html names them, so it is always revalidated.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

async function problem(request: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string): Promise<void> {
  const body = { ...new ApiProblem(status, code, detail).toBody(), instance: request.url, request_id: String(request.id) };
  await reply.code(status).header('content-type', PROBLEM_CONTENT_TYPE).header('cache-control', REVALIDATE).send(body);
}

/**
 * The admin UI at /admin: its static files, and index.html for /admin, /admin/
 * and any other path under it that is not a file (the UI routes in the
 * browser, so a deep link or a reload must get the page). The files are public:
 * the UI asks for an API key itself and sends it on its API calls.
 *
 * The folder is looked at on each request, not at start-up: the service starts
 * without a built UI (answering a problem that says how to build it) and serves
 * the UI as soon as it is built.
 */
export async function registerAdminUi(fastify: FastifyInstance, dir: string = defaultAdminUiDir()): Promise<void> {
  const index = join(dir, 'index.html');

  const sendIndex = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!existsSync(index)) {
      return problem(request, reply, 404, 'admin_ui_not_built', 'the admin UI is not built: run npm run build (it writes dist/admin), then reload this page');
    }
    await reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', REVALIDATE).send(createReadStream(index));
  };

  await fastify.register(
    async (scope) => {
      // Registered even when the folder is missing (the plugin then logs a warning): it looks for files per request.
      await scope.register(fastifyStatic, {
        root: dir,
        prefix: '/',
        index: false,
        wildcard: true,
        decorateReply: false,
        // Our own Cache-Control (setHeaders), not the plugin's default max-age=0.
        cacheControl: false,
        setHeaders: (reply, path) => reply.header('cache-control', path.startsWith(join(dir, 'assets')) ? IMMUTABLE : REVALIDATE),
      });
      scope.get('/', sendIndex);
      scope.setNotFoundHandler(async (request, reply) => {
        const path = request.url.split('?')[0];
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          return problem(request, reply, 404, 'not_found', `${request.method} ${path} does not exist`);
        }
        // A missing script or style gets a 404, not the page: the browser would run HTML as JavaScript otherwise.
        if (path.startsWith(`${ADMIN_PREFIX}/assets/`)) return problem(request, reply, 404, 'not_found', `${path} does not exist`);
        return sendIndex(request, reply);
      });
    },
    { prefix: ADMIN_PREFIX },
  );
}

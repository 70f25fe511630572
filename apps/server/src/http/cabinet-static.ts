// Serves the cabinet's production build (apps/cabinet/dist) at `/`, with the SPA fallback: any
// other GET outside /api answers index.html, so a deep link or a reload opens the right page.
// Without a build (tests, API-only deployments) nothing is registered.
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from './api-error.ts';

/** Registers the cabinet when `dir` holds a build; answers whether it did. */
export async function serveCabinet(app: FastifyInstance, dir: string | undefined): Promise<boolean> {
  if (!dir || !existsSync(join(dir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: dir,
    // One route per file found at start; the fallback below handles every other address.
    wildcard: false,
    // Cache headers are ours (below): hashed assets forever, the page never.
    cacheControl: false,
    setHeaders: (response, path) => {
      // Vite names assets by content hash, so they never change; index.html always may.
      response.setHeader(
        'cache-control',
        path.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path === '/api' || path.startsWith('/api/'))
      return reply.status(404).send({
        code: ErrorCode.notFound,
        message: `Нет такого адреса: ${request.method} ${path}`,
        details: null,
      });
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  return true;
}

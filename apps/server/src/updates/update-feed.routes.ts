// The update feed of the cashier workstation (A11): electron-updater's generic provider reads
// `<server>/updates/<channel>/<platform>/latest.yml` (Windows) or `latest-linux.yml` (Linux), then
// downloads the installer named in it from the same folder. Public on purpose: installers are
// not secret, and a till must be able to update before it is paired again.
import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiError, ErrorCode } from '#http/api-error.ts';
import { findUpdateFile, updateFileParamsSchema } from './update-file.ts';

/** Registers `GET /updates/:channel/:platform/:file` over the releases folder `dir`. */
export function updateFeedRoutes(app: FastifyInstance, options: { readonly dir: string }): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/updates/:channel/:platform/:file',
    {
      schema: {
        tags: ['updates'],
        summary: 'Файл обновления программы кассы (latest.yml, latest-linux.yml, установщик)',
        security: [],
        params: updateFileParamsSchema,
      },
    },
    async (request, reply) => {
      const file = await findUpdateFile(options.dir, request.params);
      if (!file)
        throw new ApiError(
          404,
          ErrorCode.notFound,
          `Обновление не опубликовано: нет файла ${request.params.file} для канала ${request.params.channel} и платформы ${request.params.platform}. Положите выпуск в папку обновлений сервера (UPDATES_DIR).`,
          { channel: request.params.channel, platform: request.params.platform, file: request.params.file },
        );
      // The channel file changes with every release; an installer's name carries its version.
      const yml = file.path.toLowerCase().endsWith('.yml');
      return reply
        .header('content-type', file.contentType)
        .header('content-length', file.size)
        .header('cache-control', yml ? 'no-cache' : 'public, max-age=86400')
        .send(createReadStream(file.path));
    },
  );
}

// Import and export (B5) as one plugin: multipart parsing is registered inside it, so only the
// import routes accept file uploads and every other route keeps refusing non-JSON bodies.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { MAX_IMPORT_BYTES } from '@loyalty/protocol/api/import-export.schema';
import type { Db } from '#db/database.ts';
import { exportRoutes } from './exports.routes.ts';
import { importRoutes } from './imports.routes.ts';

/** Registers /imports and /exports routes. */
export async function importExportRoutes(app: FastifyInstance, db: Db): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10, parts: 20 },
    });
    importRoutes(scope, db);
    exportRoutes(scope, db);
  });
}

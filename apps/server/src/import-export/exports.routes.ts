// GET /exports/{list}.xlsx: every cabinet table as an Excel file (B5), with the filters and the
// permission of the list it mirrors; the lists are the rows of `export-table.ts`.
import type { FastifyInstance } from 'fastify';
import type { Db } from '#db/database.ts';
import { exportTable } from './export-table.ts';

/** Registers the export routes. */
export function exportRoutes(app: FastifyInstance, db: Db): void {
  for (const route of exportTable) route(app, db);
}

// One export route (B5) from one row of the export table: the registration, the permission check,
// the merchant's clock, the snapshot (a repeatable-read, read-only transaction, so pages read while
// the file streams never skip or repeat a row) and the file name are the same for every list.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '@loyalty/protocol/api/common.schema';
import { XLSX_MIME } from '@loyalty/protocol/api/import-export.schema';
import type { Actor } from '#auth/actor.ts';
import { authorize } from '#auth/auth.plugin.ts';
import type { Permission } from '#auth/permissions.ts';
import type { FilterContext } from '#buyers/buyer-filters.ts';
import { merchantClock } from '#buyers/buyers.repository.ts';
import type { Db } from '#db/database.ts';
import { sendWorkbook, type SheetSource } from './xlsx-writer.ts';

/** What a sheet is made from: the caller, the merchant's clock, the request time and the filters. */
export type ExportContext<Q> = FilterContext & { actor: Actor; now: Date; query: Q };

/** One export route. */
export type ExportDefinition<S extends z.ZodType, T> = {
  /** The route is /api/v1/exports/{list}.xlsx and the file {list}[-{part}]-{today}.xlsx. */
  list: string;
  summary: string;
  querystring: S;
  permission: Permission;
  /**
   * Runs before the snapshot, e.g. a 404 for another merchant's series; answers an ASCII part of
   * the file name (header values are ASCII: a series is named by its id, not its Russian name).
   */
  check?: (db: Db, context: ExportContext<z.output<S>>) => Promise<string>;
  sheet: (trx: Db, context: ExportContext<z.output<S>>) => SheetSource<T> | Promise<SheetSource<T>>;
};

/** Registers one export on the router; made by `defineExport`, which keeps the row type. */
export type ExportRoute = (app: FastifyInstance, db: Db) => void;

const inSnapshot = (db: Db, run: (trx: Db) => Promise<void>) =>
  db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(run);

// Errors still answer JSON, so both types are listed.
const file = {
  produces: [XLSX_MIME, 'application/json'],
  response: { 200: z.unknown().describe('Файл XLSX'), ...errorResponses },
};

/** One row of the export table. */
export function defineExport<S extends z.ZodType, T>(definition: ExportDefinition<S, T>): ExportRoute {
  return (app, db) => {
    app.withTypeProvider<ZodTypeProvider>().get(
      `/api/v1/exports/${definition.list}.xlsx`,
      {
        schema: {
          tags: ['import-export'],
          summary: definition.summary,
          querystring: definition.querystring,
          ...file,
        },
      },
      async (request, reply) => {
        const actor = authorize(request, definition.permission);
        const now = new Date();
        const clock = await merchantClock(db, actor.merchantId, now);
        // The type provider has checked the query against `querystring` already.
        const query = request.query as z.output<S>;
        const context: ExportContext<z.output<S>> = { ...clock, actor, now, query };
        const part = definition.check ? `-${await definition.check(db, context)}` : '';
        await inSnapshot(db, async (trx) =>
          sendWorkbook(
            reply,
            `${definition.list}${part}-${clock.today}.xlsx`,
            await definition.sheet(trx, context),
          ),
        );
        return reply;
      },
    );
  };
}

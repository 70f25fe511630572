// GET /exports/{list}.xlsx: every cabinet table as an Excel file (B5), with the filters and the
// permission of the list it mirrors. Each export reads one snapshot (a repeatable-read, read-only
// transaction), so pages read while the file streams never skip or repeat a row.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '@loyalty/protocol/api/common.schema';
import {
  buyersExportQuerySchema,
  cardsExportQuerySchema,
  couponCodesExportQuerySchema,
  couponRedemptionsExportQuerySchema,
  couponSeriesExportQuerySchema,
  ledgerExportQuerySchema,
  productsExportQuerySchema,
  promotionsExportQuerySchema,
  receiptsExportQuerySchema,
  XLSX_MIME,
} from '@loyalty/protocol/api/import-export.schema';
import { can } from '#auth/actor.ts';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import { merchantClock } from '#buyers/buyers.repository.ts';
import type { Db } from '#db/database.ts';
import { buyersSheet } from './buyers-export.ts';
import { seriesView } from '#promotions/coupon-series.repository.ts';
import { cardsSheet } from './cards-export.ts';
import { couponCodesSheet } from './coupon-codes-export.ts';
import { couponRedemptionsSheet } from './coupon-redemptions-export.ts';
import { ledgerSheet } from './ledger-export.ts';
import { productsSheet } from './products-export.ts';
import { couponSeriesSheet, promotionsSheet } from './promotions-export.ts';
import { receiptsSheet } from './receipts-export.ts';
import { sendWorkbook } from './xlsx-writer.ts';

const inSnapshot = (db: Db, run: (trx: Db) => Promise<void>) =>
  db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(run);

/** Registers the export routes. */
export function exportRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['import-export'];
  // Errors still answer JSON, so both types are listed.
  const file = {
    produces: [XLSX_MIME, 'application/json'],
    response: { 200: z.unknown().describe('Файл XLSX'), ...errorResponses },
  };

  r.get(
    '/api/v1/exports/buyers.xlsx',
    {
      schema: {
        tags,
        summary: 'База покупателей в Excel: те же фильтры и сортировка, что у списка покупателей',
        querystring: buyersExportQuerySchema,
        ...file,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.buyersRead);
      const context = await merchantClock(db, actor.merchantId, new Date());
      await inSnapshot(db, async (trx) =>
        sendWorkbook(reply, `buyers-${context.today}.xlsx`, await buyersSheet(trx, request.query, context)),
      );
      return reply;
    },
  );

  r.get(
    '/api/v1/exports/products.xlsx',
    {
      schema: {
        tags,
        summary: 'Товары в Excel: те же фильтры и сортировка, что у списка товаров',
        querystring: productsExportQuerySchema,
        ...file,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.settingsRead);
      const { today, timeZone } = await merchantClock(db, actor.merchantId, new Date());
      await inSnapshot(db, async (trx) =>
        sendWorkbook(
          reply,
          `products-${today}.xlsx`,
          await productsSheet(trx, actor.merchantId, timeZone, request.query),
        ),
      );
      return reply;
    },
  );

  r.get(
    '/api/v1/exports/cards.xlsx',
    {
      schema: {
        tags,
        summary: 'Карты в Excel: те же фильтры, что у списка карт',
        querystring: cardsExportQuerySchema,
        ...file,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.buyersRead);
      const { today, timeZone } = await merchantClock(db, actor.merchantId, new Date());
      await inSnapshot(db, async (trx) =>
        sendWorkbook(
          reply,
          `cards-${today}.xlsx`,
          await cardsSheet(trx, actor.merchantId, timeZone, request.query),
        ),
      );
      return reply;
    },
  );

  r.get(
    '/api/v1/exports/receipts.xlsx',
    {
      schema: {
        tags,
        summary: 'Чеки в Excel: по дням (часовой пояс компании), магазину, покупателю',
        querystring: receiptsExportQuerySchema,
        ...file,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.salesRead);
      const { today, timeZone } = await merchantClock(db, actor.merchantId, new Date());
      await inSnapshot(db, (trx) =>
        sendWorkbook(
          reply,
          `receipts-${today}.xlsx`,
          receiptsSheet(trx, actor.merchantId, timeZone, request.query),
        ),
      );
      return reply;
    },
  );

  r.get(
    '/api/v1/exports/ledger.xlsx',
    {
      schema: {
        tags,
        summary: 'Движение баллов в Excel: по дням (часовой пояс компании), покупателю, виду операции',
        querystring: ledgerExportQuerySchema,
        ...file,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.buyersRead);
      const { today, timeZone } = await merchantClock(db, actor.merchantId, new Date());
      await inSnapshot(db, (trx) =>
        sendWorkbook(
          reply,
          `ledger-${today}.xlsx`,
          ledgerSheet(trx, actor.merchantId, timeZone, request.query),
        ),
      );
      return reply;
    },
  );

  r.get(
    '/api/v1/exports/coupon-codes.xlsx',
    {
      schema: {
        tags,
        summary: 'Коды серии купонов в Excel: те же отборы, что у списка кодов серии',
        querystring: couponCodesExportQuerySchema,
        ...file,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.settingsRead);
      const series = await seriesView(db, actor.merchantId, request.query.seriesId);
      const { today, timeZone } = await merchantClock(db, actor.merchantId, new Date());
      await inSnapshot(db, (trx) =>
        sendWorkbook(
          reply,
          // Header values are ASCII: the series is named by its id, not its (Russian) name.
          `coupon-codes-${series.id.slice(0, 8)}-${today}.xlsx`,
          couponCodesSheet(trx, actor.merchantId, timeZone, request.query),
        ),
      );
      return reply;
    },
  );

  r.get(
    '/api/v1/exports/coupon-redemptions.xlsx',
    {
      schema: {
        tags,
        summary: 'Использования кодов серии купонов в Excel: чек, магазин, покупатель, когда',
        querystring: couponRedemptionsExportQuerySchema,
        ...file,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.settingsRead);
      const series = await seriesView(db, actor.merchantId, request.query.seriesId);
      const { today, timeZone } = await merchantClock(db, actor.merchantId, new Date());
      // The buyer's name and phone only for those who may read buyers, as in the list.
      const withBuyer = can(actor, Permission.buyersRead);
      await inSnapshot(db, (trx) =>
        sendWorkbook(
          reply,
          `coupon-redemptions-${series.id.slice(0, 8)}-${today}.xlsx`,
          couponRedemptionsSheet(trx, actor.merchantId, timeZone, series.id, withBuyer),
        ),
      );
      return reply;
    },
  );

  r.get(
    '/api/v1/exports/promotions.xlsx',
    {
      schema: {
        tags,
        summary: 'Акции в Excel: те же отборы (состояние, название) и порядок, что у списка акций',
        querystring: promotionsExportQuerySchema,
        ...file,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.settingsRead);
      const now = new Date();
      const { today, timeZone } = await merchantClock(db, actor.merchantId, now);
      await inSnapshot(db, (trx) =>
        sendWorkbook(
          reply,
          `promotions-${today}.xlsx`,
          promotionsSheet(trx, actor.merchantId, timeZone, request.query, now),
        ),
      );
      return reply;
    },
  );

  r.get(
    '/api/v1/exports/coupon-series.xlsx',
    {
      schema: {
        tags,
        summary: 'Серии купонов в Excel: те же отборы и порядок, что у списка серий',
        querystring: couponSeriesExportQuerySchema,
        ...file,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.settingsRead);
      const { today, timeZone } = await merchantClock(db, actor.merchantId, new Date());
      await inSnapshot(db, async (trx) =>
        sendWorkbook(
          reply,
          `coupon-series-${today}.xlsx`,
          await couponSeriesSheet(trx, actor.merchantId, timeZone, request.query),
        ),
      );
      return reply;
    },
  );
}

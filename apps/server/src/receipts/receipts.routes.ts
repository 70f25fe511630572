// Receipts in the cabinet (the buyer card's purchases), the sales log of sales and returns with
// its XLSX export, and one receipt or return with its lines: permission sales:read.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import { z } from 'zod';
import { XLSX_MIME } from '@loyalty/protocol/api/import-export.schema';
import {
  receiptListQuerySchema,
  receiptPageSchema,
  receiptWithLinesSchema,
  returnWithLinesSchema,
  salesLogPageSchema,
  salesLogQuerySchema,
} from '@loyalty/protocol/api/receipts.schema';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import { merchantClock } from '#buyers/buyers.repository.ts';
import type { Db } from '#db/database.ts';
import { pageOf } from '#db/list-query.ts';
import { notFound } from '#http/api-error.ts';
import { sendWorkbook } from '#import-export/xlsx-writer.ts';
import { findReceiptWithLines, listReceipts, receiptView } from './receipts.repository.ts';
import { salesLogSheet } from './sales-log-export.ts';
import { findReturnWithLines, listSalesLog, salesLogView } from './sales-log.repository.ts';

/** Registers /receipts routes. */
export function receiptRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['receipts'];

  r.get(
    '/api/v1/receipts',
    {
      schema: {
        tags,
        summary: 'Чеки: по дням, магазину, покупателю и кассирам, новые первыми, с именем кассира',
        querystring: receiptListQuerySchema,
        response: { 200: receiptPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.salesRead);
      const { timeZone } = await merchantClock(db, actor.merchantId, new Date());
      const { rows, total } = await listReceipts(db, actor.merchantId, timeZone, request.query);
      return pageOf(rows.map(receiptView), total, request.query);
    },
  );

  r.get(
    '/api/v1/sales-log',
    {
      schema: {
        tags,
        summary: 'Журнал продаж: продажи и возвраты (возвраты с минусом), фильтры, сортировка, страницы',
        querystring: salesLogQuerySchema,
        response: { 200: salesLogPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.salesRead);
      const { timeZone } = await merchantClock(db, actor.merchantId, new Date());
      const { rows, total } = await listSalesLog(db, actor.merchantId, timeZone, request.query);
      return pageOf(rows.map(salesLogView), total, request.query);
    },
  );

  r.get(
    '/api/v1/exports/sales-log.xlsx',
    {
      schema: {
        tags: [...tags, 'import-export'],
        summary: 'Журнал продаж в Excel: те же фильтры и порядок, что у списка',
        querystring: salesLogQuerySchema,
        produces: [XLSX_MIME, 'application/json'],
        response: { 200: z.unknown().describe('Файл XLSX'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.salesRead);
      const { today, timeZone } = await merchantClock(db, actor.merchantId, new Date());
      // One snapshot: pages read while the file streams never skip or repeat an operation.
      await db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute(async (trx) =>
          sendWorkbook(
            reply,
            `sales-log-${today}.xlsx`,
            await salesLogSheet(trx, actor.merchantId, timeZone, request.query),
          ),
        );
      return reply;
    },
  );

  r.get(
    '/api/v1/returns/:id',
    {
      schema: {
        tags,
        summary: 'Возврат со строками',
        params: idParamsSchema,
        response: { 200: returnWithLinesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.salesRead);
      const found = await findReturnWithLines(db, actor.merchantId, request.params.id);
      if (!found) throw notFound('Возврат');
      return found;
    },
  );

  r.get(
    '/api/v1/receipts/:id',
    {
      schema: {
        tags,
        summary: 'Чек со строками',
        params: idParamsSchema,
        response: { 200: receiptWithLinesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.salesRead);
      const receipt = await findReceiptWithLines(db, actor.merchantId, request.params.id);
      if (!receipt) throw notFound('Чек');
      return receipt;
    },
  );
}

// Receipts in the cabinet (sales log, the buyer card's purchases): permission sales:read.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import {
  receiptListQuerySchema,
  receiptPageSchema,
  receiptWithLinesSchema,
} from '@loyalty/protocol/api/receipts.schema';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import { merchantClock } from '#buyers/buyers.repository.ts';
import type { Db } from '#db/database.ts';
import { pageOf } from '#db/list-query.ts';
import { notFound } from '#http/api-error.ts';
import { findReceiptWithLines, listReceipts, receiptView } from './receipts.repository.ts';

/** Registers /receipts routes. */
export function receiptRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['receipts'];

  r.get(
    '/api/v1/receipts',
    {
      schema: {
        tags,
        summary: 'Чеки: по дням, магазину и покупателю, новые первыми',
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

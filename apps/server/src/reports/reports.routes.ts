// Reports for the cabinet (G1 dashboard, G5 sales summary); permission reports:read.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '@loyalty/protocol/api/common.schema';
import { salesSummaryQuerySchema, salesSummarySchema } from '@loyalty/protocol/api/reports.schema';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { salesByDay, totalOf } from './sales-summary.repository.ts';

/** Registers /reports routes. */
export function reportRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/reports/sales-summary',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Выручка, чеки, средний чек, доля чеков с картой, новые покупатели, баллы — по дням; по кассирам',
        querystring: salesSummaryQuerySchema,
        response: { 200: salesSummarySchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.reportsRead);
      const { from, to, cashierId } = request.query;
      const { timeZone, days } = await salesByDay(db, actor.merchantId, from, to, cashierId);
      return { from, to, timeZone, totals: totalOf(days), days };
    },
  );
}

// Coupon series (C6) beyond issuing (promotions.routes.ts): the series paged by the server, their
// codes by state, blocking a code or a whole series (the till then refuses it as `blocked`), and
// the usage as redemptions per receipt. The codes' XLSX export is /exports/coupon-codes.xlsx.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParamsSchema, pageOf } from '@loyalty/protocol/api/common.schema';
import {
  buyerCouponSchema,
  couponBlockResultSchema,
  couponBlockSchema,
  couponCodeListQuerySchema,
  couponCodeParamsSchema,
  couponCodeSchema,
  couponIssueSchema,
  couponRedemptionListQuerySchema,
  couponRedemptionSchema,
  couponSeriesListQuerySchema,
  couponSeriesSchema,
} from '@loyalty/protocol/api/programme.schema';
import { can } from '#auth/actor.ts';
import { writeAudit } from '#audit/audit.repository.ts';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import {
  buyerCoupons,
  issueCode,
  listCodes,
  listRedemptions,
  listSeries,
  seriesView,
  setCodeBlocked,
  setSeriesBlocked,
} from './coupon-series.repository.ts';

const tags = ['coupons'];

/** Registers the coupon series list, codes, blocking and redemption routes. */
export function couponSeriesRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/coupon-series',
    {
      schema: {
        tags,
        summary: 'Серии купонов: страница, новые первыми; поиск по названию, отбор по акции',
        querystring: couponSeriesListQuerySchema,
        response: { 200: pageOf(couponSeriesSchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const { page, pageSize } = request.query;
      return { ...(await listSeries(db, actor.merchantId, request.query)), page, pageSize };
    },
  );

  r.get(
    '/api/v1/coupon-series/:id',
    {
      schema: {
        tags,
        summary: 'Серия купонов',
        params: idParamsSchema,
        response: { 200: couponSeriesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      return seriesView(db, actor.merchantId, request.params.id);
    },
  );

  r.get(
    '/api/v1/coupon-series/:id/codes',
    {
      schema: {
        tags,
        summary: 'Коды серии по алфавиту: отбор по состоянию и части кода',
        params: idParamsSchema,
        querystring: couponCodeListQuerySchema,
        response: { 200: pageOf(couponCodeSchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      await seriesView(db, actor.merchantId, request.params.id);
      const { page, pageSize } = request.query;
      return {
        ...(await listCodes(db, actor.merchantId, request.params.id, request.query)),
        page,
        pageSize,
      };
    },
  );

  r.put(
    '/api/v1/coupon-series/:id/codes/:code/blocked',
    {
      schema: {
        tags,
        summary: 'Заблокировать или разблокировать код купона',
        params: couponCodeParamsSchema,
        body: couponBlockSchema,
        response: { 200: couponCodeSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.promotionsWrite);
      const { id, code } = request.params;
      const { before, after } = await setCodeBlocked(db, actor.merchantId, id, code, request.body.blocked);
      if (before.blocked !== after.blocked)
        await writeAudit(db, actor, {
          action: after.blocked ? 'coupon_code.block' : 'coupon_code.unblock',
          entity: 'coupon_series',
          entityId: id,
          before,
          after,
        });
      return after;
    },
  );

  r.post(
    '/api/v1/coupon-series/:id/issue',
    {
      schema: {
        tags,
        summary:
          'Выдать код серии покупателю: код становится персональным, погасить его может только этот покупатель',
        params: idParamsSchema,
        body: couponIssueSchema,
        response: { 200: couponCodeSchema, 201: couponCodeSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.promotionsWrite);
      const { buyerId, code } = request.body;
      const result = await issueCode(db, actor.merchantId, request.params.id, buyerId, code);
      // A repeated request finds the code already the buyer's: 200 and no second audit entry.
      if (!result.issued) return reply.status(200).send(result.code);
      await writeAudit(db, actor, {
        action: 'coupon_code.issue',
        entity: 'coupon_series',
        entityId: request.params.id,
        before: { code: result.code.code, issuedToBuyerId: null },
        after: { code: result.code.code, issuedToBuyerId: buyerId },
      });
      return reply.status(201).send(result.code);
    },
  );

  r.get(
    '/api/v1/buyers/:id/coupons',
    {
      schema: {
        tags,
        summary: 'Персональные коды купонов, выданные покупателю',
        params: idParamsSchema,
        response: { 200: z.array(buyerCouponSchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      return buyerCoupons(db, actor.merchantId, request.params.id);
    },
  );

  r.put(
    '/api/v1/coupon-series/:id/blocked',
    {
      schema: {
        tags,
        summary: 'Заблокировать или разблокировать все коды серии',
        params: idParamsSchema,
        body: couponBlockSchema,
        response: { 200: couponBlockResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.promotionsWrite);
      await seriesView(db, actor.merchantId, request.params.id);
      const codes = await setSeriesBlocked(db, actor.merchantId, request.params.id, request.body.blocked);
      if (codes > 0)
        await writeAudit(db, actor, {
          action: request.body.blocked ? 'coupon_series.block' : 'coupon_series.unblock',
          entity: 'coupon_series',
          entityId: request.params.id,
          after: { blocked: request.body.blocked, codes },
        });
      return { codes };
    },
  );

  r.get(
    '/api/v1/coupon-series/:id/redemptions',
    {
      schema: {
        tags,
        summary: 'Использования кодов серии: чек, покупатель, когда (новые первыми)',
        params: idParamsSchema,
        querystring: couponRedemptionListQuerySchema,
        response: { 200: pageOf(couponRedemptionSchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      await seriesView(db, actor.merchantId, request.params.id);
      const { page, pageSize } = request.query;
      // A buyer's name and phone are personal data: only for those who may read buyers.
      const withBuyer = can(actor, Permission.buyersRead);
      return {
        ...(await listRedemptions(db, actor.merchantId, request.params.id, request.query, withBuyer)),
        page,
        pageSize,
      };
    },
  );
}

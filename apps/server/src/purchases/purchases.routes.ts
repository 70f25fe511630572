// REST API v1 purchase flow for third-party tills and 1C (B4), and the buyer's points (C12).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { errorResponses, idParamsSchema, pageOf } from '@loyalty/protocol/api/common.schema';
import {
  buyerPointsSchema,
  calculateRequestSchema,
  calculateResponseSchema,
  confirmRequestSchema,
  confirmResponseSchema,
  holdRequestSchema,
  holdSchema,
  ledgerEntrySchema,
  lotSchema,
  manualPointsSchema,
  returnRequestSchema,
  returnResponseSchema,
} from '@loyalty/protocol/api/purchases.schema';
import { writeAudit } from '#audit/audit.repository.ts';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { pageOffset } from '#db/list-query.ts';
import { ApiError, notFound } from '#http/api-error.ts';
import { creditLots, debitPoints, lockBuyer } from '#ledger/ledger.service.ts';
import { preparedRulesFor } from '#programme/rules-snapshot.ts';
import { loadBuyerState, pointsView } from './buyer-state.ts';
import {
  calculatePurchase,
  cancelHold,
  confirmPurchase,
  holdPoints,
  returnPurchase,
} from './purchase.service.ts';

const holdView = (row: {
  id: string;
  buyer_id: string;
  points: number;
  status: 'active' | 'consumed' | 'cancelled';
  expires_at: Date;
}) => ({
  id: row.id,
  buyerId: row.buyer_id,
  points: row.points,
  status: row.status,
  expiresAt: row.expires_at.toISOString(),
});

/** Registers /purchases, /holds and /buyers/:id/points routes. */
export function purchaseRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['purchases'];

  r.post(
    '/api/v1/purchases/calculate',
    {
      schema: {
        tags,
        summary: 'Рассчитать чек (ничего не списывает и не начисляет)',
        body: calculateRequestSchema,
        response: { 200: calculateResponseSchema, ...errorResponses },
      },
    },
    async (request) => calculatePurchase(db, authorize(request, Permission.salesWrite), request.body),
  );

  r.post(
    '/api/v1/purchases/confirm',
    {
      schema: {
        tags,
        summary: 'Провести чек: списать и начислить баллы (идемпотентно по ключу)',
        body: confirmRequestSchema,
        response: { 200: confirmResponseSchema, ...errorResponses },
      },
    },
    async (request) => confirmPurchase(db, authorize(request, Permission.salesWrite), request.body),
  );

  r.post(
    '/api/v1/purchases/:id/return',
    {
      schema: {
        tags,
        summary: 'Возврат строк чека: вернуть списанные баллы, забрать начисленные',
        params: idParamsSchema,
        body: returnRequestSchema,
        response: { 200: returnResponseSchema, ...errorResponses },
      },
    },
    async (request) =>
      returnPurchase(db, authorize(request, Permission.salesWrite), request.params.id, request.body),
  );

  r.post(
    '/api/v1/holds',
    {
      schema: {
        tags,
        summary: 'Зарезервировать баллы перед продажей (с истечением)',
        body: holdRequestSchema,
        response: { 201: holdSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const hold = await holdPoints(db, authorize(request, Permission.salesWrite), request.body);
      return reply.status(201).send(holdView(hold));
    },
  );

  r.delete(
    '/api/v1/holds/:id',
    {
      schema: {
        tags,
        summary: 'Отменить резерв',
        params: idParamsSchema,
        response: { 200: holdSchema, ...errorResponses },
      },
    },
    async (request) =>
      holdView(await cancelHold(db, authorize(request, Permission.salesWrite), request.params.id)),
  );

  const pointsTags = ['points'];
  r.get(
    '/api/v1/buyers/:id/points',
    {
      schema: {
        tags: pointsTags,
        summary: 'Баллы покупателя: баланс, активные, ожидающие, долг, резерв',
        params: idParamsSchema,
        response: { 200: buyerPointsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      const rules = await preparedRulesFor(db, actor.merchantId);
      const now = new Date();
      const state = await loadBuyerState(
        db,
        actor.merchantId,
        request.params.id,
        rules?.snapshot.programme.defaultCardTypeId ?? '',
        now,
      );
      if (!state) throw notFound('Покупатель');
      const { balance } = await db
        .selectFrom('buyers')
        .select('balance')
        .where('id', '=', state.id)
        .executeTakeFirstOrThrow();
      return pointsView(state, balance, now);
    },
  );

  r.get(
    '/api/v1/buyers/:id/ledger',
    {
      schema: {
        tags: pointsTags,
        summary: 'История баллов покупателя',
        params: idParamsSchema,
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: pageOf(ledgerEntrySchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      const { page, pageSize } = request.query;
      const base = db
        .selectFrom('ledger_entries')
        .where('merchant_id', '=', actor.merchantId)
        .where('buyer_id', '=', request.params.id);
      const [rows, total] = await Promise.all([
        base
          .select(['id', 'kind', 'points', 'receipt_id', 'reason', 'created_at'])
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset(pageOffset(page, pageSize))
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        items: rows.map((e) => ({
          id: e.id,
          kind: e.kind,
          points: e.points,
          receiptId: e.receipt_id,
          reason: e.reason,
          createdAt: e.created_at.toISOString(),
        })),
        total: Number(total.n),
        page,
        pageSize,
      };
    },
  );

  r.get(
    '/api/v1/buyers/:id/lots',
    {
      schema: {
        tags: pointsTags,
        summary: 'Партии баллов с датами активации и сгорания',
        params: idParamsSchema,
        response: { 200: z.array(lotSchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      const rows = await db
        .selectFrom('point_lots')
        .select(['id', 'source', 'initial', 'remaining', 'activates_at', 'expires_at'])
        .where('merchant_id', '=', actor.merchantId)
        .where('buyer_id', '=', request.params.id)
        .orderBy('created_at', 'desc')
        .limit(500)
        .execute();
      return rows.map((l) => ({
        id: l.id,
        source: l.source,
        initial: l.initial,
        remaining: l.remaining,
        activatesAt: l.activates_at.toISOString(),
        expiresAt: l.expires_at?.toISOString() ?? null,
      }));
    },
  );

  r.post(
    '/api/v1/buyers/:id/points',
    {
      schema: {
        tags: pointsTags,
        summary: 'Начислить или списать баллы вручную, с причиной (попадает в журнал аудита)',
        params: idParamsSchema,
        body: manualPointsSchema,
        response: { 200: buyerPointsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.pointsManual);
      const { operation, points, reason, expiryDays } = request.body;
      const rules = await preparedRulesFor(db, actor.merchantId);
      const now = new Date();
      return db.transaction().execute(async (trx) => {
        const buyer = await lockBuyer(trx, actor.merchantId, request.params.id);
        if (!buyer || buyer.erased_at) throw notFound('Покупатель');
        const ctx = {
          merchantId: actor.merchantId,
          buyerId: buyer.id,
          operationId: randomUUID(),
          now,
          reason,
          actorType: actor.kind,
          actorId: actor.id,
        } as const;
        if (operation === 'accrue') {
          await creditLots(trx, ctx, 'manual_accrual', [
            {
              source: 'manual',
              points,
              activatesAt: now,
              expiresAt: expiryDays === null ? null : new Date(now.getTime() + expiryDays * 86_400_000),
            },
          ]);
        } else {
          const debit = await debitPoints(trx, ctx, points, {
            allowOverdraft: false,
            kind: 'manual_deduction',
          });
          if (!debit.ok)
            throw new ApiError(
              409,
              'insufficient_points',
              `Нельзя списать больше активных баллов: доступно ${(debit.available / 100).toFixed(2)}`,
              {
                available: debit.available,
              },
            );
        }
        await writeAudit(trx, actor, {
          action: `points.${operation}`,
          entity: 'buyer',
          entityId: buyer.id,
          before: { balance: buyer.balance },
          after: { balance: buyer.balance + (operation === 'accrue' ? points : -points), reason },
        });
        const state = await loadBuyerState(
          trx,
          actor.merchantId,
          buyer.id,
          rules?.snapshot.programme.defaultCardTypeId ?? '',
          now,
        );
        const { balance } = await trx
          .selectFrom('buyers')
          .select('balance')
          .where('id', '=', buyer.id)
          .executeTakeFirstOrThrow();
        if (!state) throw notFound('Покупатель');
        return pointsView(state, balance, now);
      });
    },
  );
}

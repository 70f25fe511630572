// Promotions (C5) and coupon series (C6): create, edit, archive, list by state; and a preview
// that prices a sample receipt with the merchant's live rules. Issuing a series lives here (it
// links the promotion); listing, codes, blocking and usage are in coupon-series.routes.ts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { calculate } from '@loyalty/core/engine/calculate';
import { calculationInputSchema } from '@loyalty/core/engine/calculation-input.schema';
import { errorResponses, idParamsSchema, pageOf } from '@loyalty/protocol/api/common.schema';
import {
  couponSeriesCreateSchema,
  couponSeriesSchema,
  promotionBodySchema,
  promotionListQuerySchema,
  promotionViewSchema,
} from '@loyalty/protocol/api/programme.schema';
import { writeAudit } from '#audit/audit.repository.ts';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { pageOffset } from '#db/list-query.ts';
import { ApiError, badRequest, conflict, notFound } from '#http/api-error.ts';
import { writeProgramme } from '#programme/programme-write.ts';
import { preparedRulesFor } from '#programme/rules-snapshot.ts';
import { normaliseCode, randomCouponCode } from './coupon-codes.ts';
import { seriesView } from './coupon-series.repository.ts';
import { promotionsQuery, stateOf } from './promotions.repository.ts';
import { couponSeriesRoutes } from './coupon-series.routes.ts';

const tags = ['promotions'];
type PromotionRow = {
  id: string;
  body: unknown;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
  starts_at: Date | null;
  ends_at: Date | null;
};
type PromotionBody = z.output<typeof promotionBodySchema>;

function view(row: PromotionRow, now = Date.now()): z.output<typeof promotionViewSchema> {
  return {
    ...(row.body as PromotionBody),
    id: row.id,
    archived: row.archived_at !== null,
    state: stateOf(row, now),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const columns = ['id', 'body', 'created_at', 'updated_at', 'archived_at', 'starts_at', 'ends_at'] as const;
const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Registers /promotions and /coupon-series routes. */
export function promotionRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/promotions',
    {
      schema: {
        tags,
        summary: 'Акции: список по состоянию',
        querystring: promotionListQuerySchema,
        response: { 200: pageOf(promotionViewSchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const { state, search, page, pageSize } = request.query;
      const now = new Date();
      const query = promotionsQuery(db, actor.merchantId, { state, search }, now);
      const [rows, total] = await Promise.all([
        query
          .select(columns)
          .orderBy('priority', 'desc')
          .orderBy('created_at', 'desc')
          .limit(pageSize)
          .offset(pageOffset(page, pageSize))
          .execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map((row) => view(row, now.getTime())), total: Number(total.n), page, pageSize };
    },
  );

  r.get(
    '/api/v1/promotions/:id',
    {
      schema: {
        tags,
        summary: 'Акция',
        params: idParamsSchema,
        response: { 200: promotionViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const row = await db
        .selectFrom('promotions')
        .select(columns)
        .where('merchant_id', '=', actor.merchantId)
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!row) throw notFound('Акция');
      return view(row);
    },
  );

  const save = async (merchantId: string, id: string | null, body: PromotionBody) =>
    writeProgramme(db, merchantId, async (trx) => {
      const values = {
        name: body.name || 'Без названия',
        priority: body.priority,
        starts_at: toDate(body.from),
        ends_at: toDate(body.to),
        body: JSON.stringify(body),
        archived_at: body.archived ? new Date() : null,
        updated_at: new Date(),
      };
      if (id === null)
        return trx
          .insertInto('promotions')
          .values({ merchant_id: merchantId, ...values })
          .returning(columns)
          .executeTakeFirstOrThrow();
      const before = await trx
        .selectFrom('promotions')
        .select(['body'])
        .where('merchant_id', '=', merchantId)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw notFound('Акция');
      // A coupon series binds its promotion: keep the link even if the editor did not send it.
      const linked = (before.body as PromotionBody).targeting.couponSeriesId;
      const merged = {
        ...body,
        targeting: { ...body.targeting, couponSeriesId: body.targeting.couponSeriesId ?? linked },
      };
      return trx
        .updateTable('promotions')
        .set({ ...values, body: JSON.stringify(merged) })
        .where('id', '=', id)
        .returning(columns)
        .executeTakeFirstOrThrow();
    });

  r.post(
    '/api/v1/promotions',
    {
      schema: {
        tags,
        summary: 'Создать акцию',
        body: promotionBodySchema,
        response: { 201: promotionViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.promotionsWrite);
      if (request.body.targeting.couponSeriesId !== null)
        throw badRequest('coupon_link_via_series', 'Купоны привязываются к акции при создании серии купонов');
      const row = await save(actor.merchantId, null, request.body);
      await writeAudit(db, actor, {
        action: 'promotion.create',
        entity: 'promotion',
        entityId: row.id,
        after: request.body,
      });
      return reply.status(201).send(view(row));
    },
  );

  r.put(
    '/api/v1/promotions/:id',
    {
      schema: {
        tags,
        summary: 'Изменить акцию',
        params: idParamsSchema,
        body: promotionBodySchema,
        response: { 200: promotionViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.promotionsWrite);
      const before = await db
        .selectFrom('promotions')
        .select('body')
        .where('merchant_id', '=', actor.merchantId)
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      const row = await save(actor.merchantId, request.params.id, request.body);
      await writeAudit(db, actor, {
        action: 'promotion.update',
        entity: 'promotion',
        entityId: row.id,
        before: before?.body ?? null,
        after: request.body,
      });
      return view(row);
    },
  );

  r.post(
    '/api/v1/promotions/:id/archive',
    {
      schema: {
        tags,
        summary: 'Убрать акцию в архив',
        params: idParamsSchema,
        response: { 200: promotionViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.promotionsWrite);
      const row = await writeProgramme(db, actor.merchantId, async (trx) => {
        const updated = await trx
          .updateTable('promotions')
          .set({
            archived_at: new Date(),
            updated_at: new Date(),
            body: sql`jsonb_set(body, '{archived}', 'true'::jsonb)`,
          })
          .where('merchant_id', '=', actor.merchantId)
          .where('id', '=', request.params.id)
          .returning(columns)
          .executeTakeFirst();
        if (!updated) throw notFound('Акция');
        return updated;
      });
      await writeAudit(db, actor, { action: 'promotion.archive', entity: 'promotion', entityId: row.id });
      return view(row);
    },
  );

  r.post(
    '/api/v1/promotions/preview',
    {
      schema: {
        tags,
        summary: 'Проверить акции на примере чека: что даст движок и почему',
        body: calculationInputSchema.partial({ now: true }),
        response: { 200: z.unknown(), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const rules = await preparedRulesFor(db, actor.merchantId);
      if (!rules) throw conflict('Программа лояльности ещё не настроена');
      const result = calculate(rules, { ...request.body, now: request.body.now ?? Date.now() });
      if (!result.ok)
        throw new ApiError(400, result.error.code, result.error.message, result.error.details ?? null);
      return result.value;
    },
  );

  r.post(
    '/api/v1/coupon-series',
    {
      schema: {
        tags: ['coupons'],
        summary: 'Выпустить серию купонов к акции',
        body: couponSeriesCreateSchema,
        response: { 201: couponSeriesSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.promotionsWrite);
      const { codes, promotionId, name, ...terms } = request.body;
      const series = await writeProgramme(db, actor.merchantId, async (trx) => {
        const promotion = await trx
          .selectFrom('promotions')
          .select(['id', 'body'])
          .where('merchant_id', '=', actor.merchantId)
          .where('id', '=', promotionId)
          .where('archived_at', 'is', null)
          .forUpdate()
          .executeTakeFirst();
        if (!promotion) throw notFound('Акция');
        if ((promotion.body as PromotionBody).targeting.couponSeriesId !== null)
          throw conflict('У этой акции уже есть серия купонов');
        const row = await trx
          .insertInto('coupon_series')
          .values({
            merchant_id: actor.merchantId,
            promotion_id: promotionId,
            name,
            body: JSON.stringify(terms),
          })
          .returning(['id'])
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('promotions')
          .set({ body: sql`jsonb_set(body, '{targeting,couponSeriesId}', to_jsonb(${row.id}::text))` })
          .where('id', '=', promotionId)
          .execute();
        if (codes.kind === 'shared') {
          const inserted = await trx
            .insertInto('coupon_codes')
            .values({ merchant_id: actor.merchantId, series_id: row.id, code: normaliseCode(codes.code) })
            .onConflict((oc) => oc.doNothing())
            .returning('id')
            .execute();
          if (inserted.length === 0) throw conflict('Такой код уже используется в другой серии');
        } else {
          let left = codes.count;
          // Collisions are rare; retry the missing ones until the run is complete.
          for (let attempt = 0; left > 0 && attempt < 20; attempt++) {
            const batch = Array.from({ length: Math.min(left, 5000) }, () => ({
              merchant_id: actor.merchantId,
              series_id: row.id,
              code: randomCouponCode(codes.prefix, codes.length),
            }));
            const inserted = await trx
              .insertInto('coupon_codes')
              .values(batch)
              .onConflict((oc) => oc.doNothing())
              .returning('id')
              .execute();
            left -= inserted.length;
          }
          if (left > 0) throw conflict('Не удалось подобрать уникальные коды: увеличьте длину кода');
        }
        return row;
      });
      await writeAudit(db, actor, {
        action: 'coupon_series.create',
        entity: 'coupon_series',
        entityId: series.id,
        after: { name, promotionId, ...terms, codes: codes.kind === 'shared' ? 'shared' : codes.count },
      });
      return reply.status(201).send(await seriesView(db, actor.merchantId, series.id));
    },
  );

  couponSeriesRoutes(app, db);
}

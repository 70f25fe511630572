// The programme page (C1-C4): settings, card types, the rules matrix, happy hours; and the
// assembled snapshot for integrators.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import {
  cardTypeCreateSchema,
  cardTypeSchema,
  cardTypeUpdateSchema,
  happyHoursReplaceSchema,
  programmeSchema,
  programmeSettingsSchema,
  rulesReplaceSchema,
} from '@loyalty/protocol/api/programme.schema';
import { sql } from 'kysely';
import { writeAudit } from '#audit/audit.repository.ts';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { badRequest, conflict, notFound } from '#http/api-error.ts';
import { requestTierRecalculation } from '#tiers/tier-recalculation.ts';
import { writeProgramme } from './programme-write.ts';
import { loadSnapshot, programmeVersion, type StoredSettings } from './rules-snapshot.ts';

const tags = ['programme'];

/** Registers /programme and /card-types routes. */
export function programmeRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/programme',
    {
      schema: {
        tags,
        summary: 'Программа лояльности',
        response: { 200: programmeSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const m = actor.merchantId;
      const [settings, cardTypes, rules, happyHours] = await Promise.all([
        db
          .selectFrom('programme_settings')
          .select(['body', 'version'])
          .where('merchant_id', '=', m)
          .executeTakeFirst(),
        db
          .selectFrom('card_types')
          .select(['id', 'name', 'rank', 'threshold', 'issue'])
          .where('merchant_id', '=', m)
          .where('archived_at', 'is', null)
          .orderBy('rank')
          .execute(),
        db
          .selectFrom('programme_rules')
          .select(['id', 'card_type_id', 'category_id', 'body'])
          .where('merchant_id', '=', m)
          .execute(),
        db
          .selectFrom('happy_hours')
          .select(['id', 'body'])
          .where('merchant_id', '=', m)
          .orderBy('position')
          .execute(),
      ]);
      return {
        version: settings?.version ?? 0,
        // Parsed on the way out so bodies stored before a new setting existed get its default.
        settings: settings ? programmeSettingsSchema.parse(settings.body) : null,
        cardTypes,
        rules: rules.map((rule) => ({
          ...(rule.body as object),
          id: rule.id,
          cardTypeId: rule.card_type_id,
          categoryId: rule.category_id,
        })),
        happyHours: happyHours.map((h) => ({ ...(h.body as object), id: h.id })),
      } as z.output<typeof programmeSchema>;
    },
  );

  r.get(
    '/api/v1/programme/snapshot',
    {
      schema: {
        tags,
        summary: 'Снимок правил для расчёта (как его видят кассы)',
        response: { 200: z.unknown(), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const snapshot = await loadSnapshot(db, actor.merchantId);
      if (!snapshot) throw notFound('Программа лояльности');
      return snapshot;
    },
  );

  r.put(
    '/api/v1/programme/settings',
    {
      schema: {
        tags,
        summary: 'Настройки программы: тип, карта по умолчанию, подарки, рефералы, офлайн-лимиты',
        body: programmeSettingsSchema,
        response: { 200: programmeSettingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsWrite);
      const body = request.body;
      return writeProgramme(db, actor.merchantId, async (trx) => {
        const cardType = await trx
          .selectFrom('card_types')
          .select('id')
          .where('merchant_id', '=', actor.merchantId)
          .where('id', '=', body.defaultCardTypeId)
          .where('archived_at', 'is', null)
          .executeTakeFirst();
        if (!cardType) throw badRequest('unknown_card_type', 'Тип карты по умолчанию не найден');
        const before = await trx
          .selectFrom('programme_settings')
          .select('body')
          .where('merchant_id', '=', actor.merchantId)
          .executeTakeFirst();
        await trx
          .insertInto('programme_settings')
          .values({ merchant_id: actor.merchantId, body: JSON.stringify(body) })
          .onConflict((oc) => oc.column('merchant_id').doUpdateSet({ body: JSON.stringify(body) }))
          .execute();
        // A new tier period or downgrade rule should reach card types within the hour, not tonight.
        const was = before?.body as Partial<StoredSettings> | undefined;
        if (
          (was?.tierPeriodDays ?? null) !== body.tierPeriodDays ||
          was?.allowDowngrade !== body.allowDowngrade ||
          was?.defaultCardTypeId !== body.defaultCardTypeId
        )
          await requestTierRecalculation(trx, actor.merchantId);
        await writeAudit(trx, actor, {
          action: 'programme.settings',
          entity: 'programme',
          entityId: null,
          before: before?.body ?? null,
          after: body,
        });
        return body;
      });
    },
  );

  r.post(
    '/api/v1/card-types',
    {
      schema: {
        tags,
        summary: 'Добавить тип карты (уровень) с правилом по умолчанию',
        body: cardTypeCreateSchema,
        response: { 201: cardTypeSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.settingsWrite);
      const { defaultRule, ...cardType } = request.body;
      const created = await writeProgramme(db, actor.merchantId, async (trx) => {
        const row = await trx
          .insertInto('card_types')
          .values({ merchant_id: actor.merchantId, ...cardType })
          .returning(['id', 'name', 'rank', 'threshold', 'issue'])
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('programme_rules')
          .values({
            merchant_id: actor.merchantId,
            card_type_id: row.id,
            category_id: null,
            body: JSON.stringify(defaultRule),
          })
          .execute();
        // The first card type starts the programme as a bonus programme with it as the default.
        // Parsed through the schema so every default (gifts, referral, offline limits) is filled in.
        const settings = programmeSettingsSchema.parse({ type: 'bonus', defaultCardTypeId: row.id });
        await trx
          .insertInto('programme_settings')
          .values({ merchant_id: actor.merchantId, body: JSON.stringify(settings) })
          .onConflict((oc) => oc.column('merchant_id').doNothing())
          .execute();
        await writeAudit(trx, actor, {
          action: 'card_type.create',
          entity: 'card_type',
          entityId: row.id,
          after: { ...row, defaultRule },
        });
        return row;
      });
      return reply.status(201).send(created);
    },
  );

  r.patch(
    '/api/v1/card-types/:id',
    {
      schema: {
        tags,
        summary: 'Изменить тип карты',
        params: idParamsSchema,
        body: cardTypeUpdateSchema,
        response: { 200: cardTypeSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsWrite);
      return writeProgramme(db, actor.merchantId, async (trx) => {
        const before = await trx
          .selectFrom('card_types')
          .select(['id', 'name', 'rank', 'threshold', 'issue'])
          .where('merchant_id', '=', actor.merchantId)
          .where('id', '=', request.params.id)
          .where('archived_at', 'is', null)
          .executeTakeFirst();
        if (!before) throw notFound('Тип карты');
        const after = await trx
          .updateTable('card_types')
          .set(request.body)
          .where('id', '=', before.id)
          .returning(['id', 'name', 'rank', 'threshold', 'issue'])
          .executeTakeFirstOrThrow();
        if (
          after.rank !== before.rank ||
          after.threshold !== before.threshold ||
          after.issue !== before.issue
        )
          await requestTierRecalculation(trx, actor.merchantId);
        await writeAudit(trx, actor, {
          action: 'card_type.update',
          entity: 'card_type',
          entityId: before.id,
          before,
          after,
        });
        return after;
      });
    },
  );

  r.delete(
    '/api/v1/card-types/:id',
    {
      schema: {
        tags,
        summary: 'Убрать тип карты в архив',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.settingsWrite);
      await writeProgramme(db, actor.merchantId, async (trx) => {
        const row = await trx
          .selectFrom('card_types')
          .select(['id', 'name'])
          .where('merchant_id', '=', actor.merchantId)
          .where('id', '=', request.params.id)
          .where('archived_at', 'is', null)
          .executeTakeFirst();
        if (!row) throw notFound('Тип карты');
        const settings = await trx
          .selectFrom('programme_settings')
          .select('body')
          .where('merchant_id', '=', actor.merchantId)
          .executeTakeFirst();
        if ((settings?.body as StoredSettings | undefined)?.defaultCardTypeId === row.id)
          throw conflict('Это тип карты по умолчанию: сначала назначьте другой');
        const holders = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM buyers WHERE merchant_id = ${actor.merchantId} AND card_type_id = ${row.id}`.execute(
          trx,
        );
        const count = holders.rows[0]?.n ?? 0;
        if (count > 0)
          throw conflict(`Этот тип карты есть у ${count} покупателей: сначала переведите их на другой`, {
            count,
          });
        await trx
          .updateTable('card_types')
          .set({ archived_at: new Date() })
          .where('id', '=', row.id)
          .execute();
        await trx.deleteFrom('programme_rules').where('card_type_id', '=', row.id).execute();
        await writeAudit(trx, actor, {
          action: 'card_type.archive',
          entity: 'card_type',
          entityId: row.id,
          before: row,
        });
      });
      return reply.status(204).send(null);
    },
  );

  r.put(
    '/api/v1/programme/rules',
    {
      schema: {
        tags,
        summary: 'Заменить матрицу правил (тип карты x категория)',
        body: rulesReplaceSchema,
        response: {
          200: z.object({ version: z.number().int(), rules: z.number().int() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsWrite);
      const rules = request.body.rules;
      await writeProgramme(db, actor.merchantId, async (trx) => {
        const before = await trx
          .selectFrom('programme_rules')
          .select(['card_type_id', 'category_id', 'body'])
          .where('merchant_id', '=', actor.merchantId)
          .execute();
        await trx.deleteFrom('programme_rules').where('merchant_id', '=', actor.merchantId).execute();
        if (rules.length > 0)
          await trx
            .insertInto('programme_rules')
            .values(
              rules.map(({ cardTypeId, categoryId, ...body }) => ({
                merchant_id: actor.merchantId,
                card_type_id: cardTypeId,
                category_id: categoryId,
                body: JSON.stringify(body),
              })),
            )
            .execute()
            .catch((error: unknown) => {
              throw mapRuleError(error);
            });
        await writeAudit(trx, actor, {
          action: 'programme.rules',
          entity: 'programme',
          entityId: null,
          before,
          after: rules,
        });
      });
      return { version: (await programmeVersion(db, actor.merchantId)) ?? 0, rules: rules.length };
    },
  );

  r.put(
    '/api/v1/programme/happy-hours',
    {
      schema: {
        tags,
        summary: 'Заменить счастливые часы',
        body: happyHoursReplaceSchema,
        response: {
          200: z.object({ version: z.number().int(), happyHours: z.number().int() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsWrite);
      const list = request.body.happyHours;
      await writeProgramme(db, actor.merchantId, async (trx) => {
        const before = await trx
          .selectFrom('happy_hours')
          .select('body')
          .where('merchant_id', '=', actor.merchantId)
          .execute();
        await trx.deleteFrom('happy_hours').where('merchant_id', '=', actor.merchantId).execute();
        if (list.length > 0)
          await trx
            .insertInto('happy_hours')
            .values(
              list.map((body, position) => ({
                merchant_id: actor.merchantId,
                position,
                body: JSON.stringify(body),
              })),
            )
            .execute();
        await writeAudit(trx, actor, {
          action: 'programme.happy_hours',
          entity: 'programme',
          entityId: null,
          before: before.map((b) => b.body),
          after: list,
        });
      });
      return { version: (await programmeVersion(db, actor.merchantId)) ?? 0, happyHours: list.length };
    },
  );
}

/** A rule for a card type of another merchant, or a cell given twice, is the caller's mistake. */
function mapRuleError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === '23505')
    return badRequest('duplicate_rule', 'Для одной пары тип карты и категория правило указано дважды');
  if (code === '23503') return badRequest('unknown_card_type', 'Правило ссылается на неизвестный тип карты');
  return error;
}

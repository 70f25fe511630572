// Card series and cards (C9): issue a number range, attach, activate, block, unblock, replace.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cardAttachSchema,
  cardBlockSchema,
  cardListQuerySchema,
  cardPageSchema,
  cardReplaceSchema,
  cardSchema,
  cardSeriesCreateSchema,
  cardSeriesSchema,
} from '@loyalty/protocol/api/cards.schema';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import { writeAudit } from '#audit/audit.repository.ts';
import type { Actor } from '#auth/actor.ts';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import { buyerExists } from '#buyers/buyers.repository.ts';
import type { Db } from '#db/database.ts';
import { pageOf } from '#db/list-query.ts';
import { lockMerchantScope } from '#db/merchant-lock.ts';
import { isUniqueViolation } from '#db/pg-error.ts';
import { badRequest, conflict, notFound } from '#http/api-error.ts';
import {
  findOverlappingSeries,
  findSeries,
  insertSeries,
  listSeries,
  seriesView,
} from './card-series.repository.ts';
import {
  activateCard,
  attachCard,
  blockCard,
  cardView,
  findCard,
  findCardByNumber,
  listCards,
  replaceCard,
  unblockCard,
  type CardRow,
} from './cards.repository.ts';

const statusNames: Record<CardRow['status'], string> = {
  issued: 'не выдана',
  active: 'активна',
  blocked: 'заблокирована',
  replaced: 'заменена',
};

const wrongStatus = (card: CardRow, action: string) =>
  conflict(`Карту ${card.number} нельзя ${action}: она ${statusNames[card.status]}`, { status: card.status });

/** Registers /card-series and /cards routes. */
export function cardRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cards'];

  /** Runs a card change in a transaction and audits the card before and after. */
  const changeCard = (
    actor: Actor,
    id: string,
    action: string,
    apply: (trx: Db, card: CardRow) => Promise<void>,
  ) =>
    db.transaction().execute(async (trx) => {
      const before = await findCard(trx, actor.merchantId, id);
      if (!before) throw notFound('Карта');
      await apply(trx, before);
      const after = await findCard(trx, actor.merchantId, id);
      if (!after) throw new Error(`card ${id} vanished inside its own transaction`);
      await writeAudit(trx, actor, {
        action,
        entity: 'card',
        entityId: id,
        before: cardView(before),
        after: cardView(after),
      });
      return cardView(after);
    });

  r.get(
    '/api/v1/card-series',
    {
      schema: {
        tags,
        summary: 'Серии карт',
        response: { 200: z.array(cardSeriesSchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      return (await listSeries(db, actor.merchantId)).map(seriesView);
    },
  );

  r.post(
    '/api/v1/card-series',
    {
      schema: {
        tags,
        summary: 'Выпустить серию карт: все номера диапазона',
        body: cardSeriesCreateSchema,
        response: { 201: cardSeriesSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      // Issuing a print run shapes the programme, so it is a settings change, not daily buyer work.
      const actor = authorize(request, Permission.settingsWrite);
      const body = request.body;
      try {
        const series = await db.transaction().execute(async (trx) => {
          await lockMerchantScope(trx, 'card_series', actor.merchantId);
          const overlap = await findOverlappingSeries(
            trx,
            actor.merchantId,
            body.prefix,
            body.numberFrom,
            body.numberTo,
          );
          if (overlap)
            throw conflict(`Диапазон пересекается с серией «${overlap.name}»`, {
              seriesId: overlap.id,
              numberFrom: overlap.number_from,
              numberTo: overlap.number_to,
            });
          const id = await insertSeries(trx, actor.merchantId, {
            name: body.name,
            prefix: body.prefix,
            from: body.numberFrom,
            to: body.numberTo,
            kind: body.kind,
          });
          const row = await findSeries(trx, actor.merchantId, id);
          if (!row) throw new Error(`series ${id} vanished inside its own transaction`);
          const view = seriesView(row);
          await writeAudit(trx, actor, {
            action: 'card_series.create',
            entity: 'card_series',
            entityId: id,
            after: view,
          });
          return view;
        });
        return await reply.status(201).send(series);
      } catch (error) {
        // Another prefix and width can spell the same numbers: "46" + "0123" is "460" + "123".
        if (isUniqueViolation(error, 'cards_number_key'))
          throw conflict('Номера серии совпадают с уже выпущенными картами');
        throw error;
      }
    },
  );

  r.get(
    '/api/v1/cards',
    {
      schema: {
        tags,
        summary: 'Карты: по номеру, серии, покупателю, статусу',
        querystring: cardListQuerySchema,
        response: { 200: cardPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      const { rows, total } = await listCards(db, actor.merchantId, request.query);
      return pageOf(rows.map(cardView), total, request.query);
    },
  );

  r.get(
    '/api/v1/cards/:id',
    {
      schema: {
        tags,
        summary: 'Карта',
        params: idParamsSchema,
        response: { 200: cardSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      const card = await findCard(db, actor.merchantId, request.params.id);
      if (!card) throw notFound('Карта');
      return cardView(card);
    },
  );

  r.post(
    '/api/v1/cards/:id/attach',
    {
      schema: {
        tags,
        summary: 'Выдать карту покупателю',
        params: idParamsSchema,
        body: cardAttachSchema,
        response: { 200: cardSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersWrite);
      return changeCard(actor, request.params.id, 'card.attach', async (trx, card) => {
        if (!(await buyerExists(trx, actor.merchantId, request.body.buyerId))) throw notFound('Покупатель');
        if (!(await attachCard(trx, actor.merchantId, card.id, request.body.buyerId)))
          throw card.buyer_id ? conflict(`Карта ${card.number} уже выдана`) : wrongStatus(card, 'выдать');
      });
    },
  );

  r.post(
    '/api/v1/cards/:id/activate',
    {
      schema: {
        tags,
        summary: 'Активировать анонимную карту без анкеты',
        params: idParamsSchema,
        response: { 200: cardSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersWrite);
      return changeCard(actor, request.params.id, 'card.activate', async (trx, card) => {
        if (card.kind !== 'anonymous')
          throw badRequest('personal_card_needs_buyer', 'Именную карту активирует выдача покупателю');
        if (!(await activateCard(trx, actor.merchantId, card.id))) throw wrongStatus(card, 'активировать');
      });
    },
  );

  r.post(
    '/api/v1/cards/:id/block',
    {
      schema: {
        tags,
        summary: 'Заблокировать карту с причиной',
        params: idParamsSchema,
        body: cardBlockSchema,
        response: { 200: cardSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersWrite);
      return changeCard(actor, request.params.id, 'card.block', async (trx, card) => {
        if (!(await blockCard(trx, actor.merchantId, card.id, request.body.reason)))
          throw wrongStatus(card, 'заблокировать');
      });
    },
  );

  r.post(
    '/api/v1/cards/:id/unblock',
    {
      schema: {
        tags,
        summary: 'Снять блокировку карты (не для карт удалённых покупателей)',
        params: idParamsSchema,
        response: { 200: cardSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersWrite);
      return changeCard(actor, request.params.id, 'card.unblock', async (trx, card) => {
        if (card.status !== 'blocked') throw wrongStatus(card, 'разблокировать');
        if (!(await unblockCard(trx, actor.merchantId, card.id)))
          throw conflict(`Карту ${card.number} нельзя разблокировать: данные её владельца удалены`);
      });
    },
  );

  r.post(
    '/api/v1/cards/:id/replace',
    {
      schema: {
        tags,
        summary: 'Заменить карту: новая карта получает покупателя и его баланс',
        params: idParamsSchema,
        body: cardReplaceSchema,
        response: { 200: z.object({ old: cardSchema, new: cardSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersWrite);
      return db.transaction().execute(async (trx) => {
        const old = await findCard(trx, actor.merchantId, request.params.id);
        if (!old) throw notFound('Карта');
        const replacement = await findCardByNumber(trx, actor.merchantId, request.body.newNumber);
        if (!replacement) throw notFound('Новая карта');
        if (replacement.id === old.id) throw badRequest('same_card', 'Карту нельзя заменить ею же');
        if (old.status !== 'active' && old.status !== 'blocked') throw wrongStatus(old, 'заменить');
        if (replacement.status !== 'issued' || replacement.buyer_id)
          throw conflict(`Новая карта ${replacement.number} уже используется или заблокирована`, {
            status: replacement.status,
          });
        if (!(await replaceCard(trx, actor.merchantId, old, replacement)))
          throw conflict('Карту только что изменили: обновите и повторите');
        const oldAfter = await findCard(trx, actor.merchantId, old.id);
        const newAfter = await findCard(trx, actor.merchantId, replacement.id);
        if (!oldAfter || !newAfter) throw new Error('cards vanished inside their own transaction');
        const after = { old: cardView(oldAfter), new: cardView(newAfter) };
        await writeAudit(trx, actor, {
          action: 'card.replace',
          entity: 'card',
          entityId: old.id,
          before: { old: cardView(old), new: cardView(replacement) },
          after,
        });
        return after;
      });
    },
  );
}

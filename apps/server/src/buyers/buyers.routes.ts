// The buyer base (D1): list with filters, lookup at the till, profile, erasure, consents (D6).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  buyerCreateSchema,
  buyerListQuerySchema,
  buyerLookupQuerySchema,
  buyerLookupSchema,
  buyerPageSchema,
  buyerSchema,
  buyerTagsSchema,
  buyerUpdateSchema,
  consentInputSchema,
  consentSchema,
} from '@loyalty/protocol/api/buyers.schema';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import { cardView, findCardByNumber } from '#cards/cards.repository.ts';
import type { Db } from '#db/database.ts';
import { pageOf } from '#db/list-query.ts';
import { notFound } from '#http/api-error.ts';
import {
  buyerTagCounts,
  buyerView,
  findBuyer,
  findBuyerByPhone,
  listBuyers,
  merchantClock,
} from './buyers.repository.ts';
import { changeBuyer, eraseBuyerData, recordConsent, registerBuyer } from './buyers.service.ts';
import { consentView, listConsents } from './consents.repository.ts';
import { phoneOrRefuse } from './phone-number.ts';

/** Registers /buyers routes. */
export function buyerRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['buyers'];

  r.get(
    '/api/v1/buyers',
    {
      schema: {
        tags,
        summary: 'База покупателей: фильтры, сортировка, страницы',
        querystring: buyerListQuerySchema,
        response: { 200: buyerPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      const context = await merchantClock(db, actor.merchantId, new Date());
      const { rows, total, totalExact } = await listBuyers(db, request.query, context);
      return { ...pageOf(rows.map(buyerView), total, request.query), totalExact };
    },
  );

  r.get(
    '/api/v1/buyers/tags',
    {
      schema: {
        tags,
        summary: 'Метки покупателей и сколько покупателей их носят (сегменты акций)',
        response: { 200: buyerTagsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      return { items: await buyerTagCounts(db, actor.merchantId) };
    },
  );

  r.get(
    '/api/v1/buyers/lookup',
    {
      schema: {
        tags,
        summary: 'Найти покупателя по телефону или номеру карты',
        querystring: buyerLookupQuerySchema,
        response: { 200: buyerLookupSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      const { phone, card: number } = request.query;
      if (phone !== undefined) {
        const buyer = await findBuyerByPhone(db, actor.merchantId, phoneOrRefuse(phone, 'querystring.phone'));
        if (!buyer) throw notFound('Покупатель');
        return { buyer: buyerView(buyer), card: null };
      }
      const card = number === undefined ? undefined : await findCardByNumber(db, actor.merchantId, number);
      if (!card) throw notFound('Карта');
      const buyer = card.buyer_id ? await findBuyer(db, actor.merchantId, card.buyer_id) : undefined;
      if (!buyer) throw notFound('Покупатель');
      return { buyer: buyerView(buyer), card: cardView(card) };
    },
  );

  r.get(
    '/api/v1/buyers/:id',
    {
      schema: {
        tags,
        summary: 'Карточка покупателя',
        params: idParamsSchema,
        response: { 200: buyerSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      const buyer = await findBuyer(db, actor.merchantId, request.params.id);
      if (!buyer) throw notFound('Покупатель');
      return buyerView(buyer);
    },
  );

  r.post(
    '/api/v1/buyers',
    {
      schema: {
        tags,
        summary: 'Добавить покупателя (с согласиями и картой)',
        body: buyerCreateSchema,
        response: { 201: buyerSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.buyersWrite);
      return reply.status(201).send(await registerBuyer(db, actor, request.body, new Date()));
    },
  );

  r.patch(
    '/api/v1/buyers/:id',
    {
      schema: {
        tags,
        summary: 'Изменить данные покупателя',
        params: idParamsSchema,
        body: buyerUpdateSchema,
        response: { 200: buyerSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersWrite);
      return changeBuyer(db, actor, request.params.id, request.body, new Date());
    },
  );

  r.delete(
    '/api/v1/buyers/:id',
    {
      schema: {
        tags,
        summary: 'Удалить персональные данные покупателя (статистика и баллы остаются обезличенными)',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.buyersWrite);
      await eraseBuyerData(db, actor, request.params.id, new Date());
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/buyers/:id/consents',
    {
      schema: {
        tags,
        summary: 'История согласий покупателя',
        params: idParamsSchema,
        response: { 200: z.array(consentSchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersRead);
      if (!(await findBuyer(db, actor.merchantId, request.params.id))) throw notFound('Покупатель');
      return (await listConsents(db, actor.merchantId, request.params.id)).map(consentView);
    },
  );

  r.post(
    '/api/v1/buyers/:id/consents',
    {
      schema: {
        tags,
        summary: 'Записать согласие или отказ (с подтверждением)',
        params: idParamsSchema,
        body: consentInputSchema,
        response: { 201: consentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.buyersWrite);
      return reply
        .status(201)
        .send(await recordConsent(db, actor, request.params.id, request.body, new Date()));
    },
  );
}

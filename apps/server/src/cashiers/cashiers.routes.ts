// Cashiers of the merchant and their access codes (C11). A code is answered once, at creation
// or reset; no route ever answers a hash.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cashierCodeResetSchema,
  cashierCreateSchema,
  cashierListQuerySchema,
  cashierPageSchema,
  cashierSchema,
  cashierUpdateSchema,
  cashierWithCodeSchema,
} from '@loyalty/protocol/api/cashiers.schema';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { pageOf } from '#db/list-query.ts';
import { notFound } from '#http/api-error.ts';
import { cashierView, findCashier, listCashiers } from './cashiers.repository.ts';
import { archiveCashier, changeCashier, createCashier, resetCashierCode } from './cashiers.service.ts';

/** Registers /cashiers routes. */
export function cashierRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cashiers'];

  r.get(
    '/api/v1/cashiers',
    {
      schema: {
        tags,
        summary: 'Кассиры: поиск, фильтры, сортировка, страницы',
        querystring: cashierListQuerySchema,
        response: { 200: cashierPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const { rows, total } = await listCashiers(db, actor.merchantId, request.query);
      return pageOf(rows.map(cashierView), total, request.query);
    },
  );

  r.get(
    '/api/v1/cashiers/:id',
    {
      schema: {
        tags,
        summary: 'Кассир',
        params: idParamsSchema,
        response: { 200: cashierSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const row = await findCashier(db, actor.merchantId, request.params.id);
      if (!row) throw notFound('Кассир');
      return cashierView(row);
    },
  );

  r.post(
    '/api/v1/cashiers',
    {
      schema: {
        tags,
        summary: 'Добавить кассира (код доступа показывается один раз)',
        body: cashierCreateSchema,
        response: { 201: cashierWithCodeSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.storesWrite);
      return reply.status(201).send(await createCashier(db, actor, request.body));
    },
  );

  r.patch(
    '/api/v1/cashiers/:id',
    {
      schema: {
        tags,
        summary: 'Изменить кассира',
        params: idParamsSchema,
        body: cashierUpdateSchema,
        response: { 200: cashierSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.storesWrite);
      return changeCashier(db, actor, request.params.id, request.body);
    },
  );

  r.post(
    '/api/v1/cashiers/:id/reset-code',
    {
      schema: {
        tags,
        summary: 'Выдать кассиру новый код доступа (показывается один раз)',
        params: idParamsSchema,
        body: cashierCodeResetSchema,
        response: { 200: cashierWithCodeSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.storesWrite);
      return resetCashierCode(db, actor, request.params.id, request.body?.code);
    },
  );

  r.delete(
    '/api/v1/cashiers/:id',
    {
      schema: {
        tags,
        summary: 'Убрать кассира в архив',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.storesWrite);
      await archiveCashier(db, actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
}

// Stores of the merchant (C11): list, read, create, change, archive.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import {
  storeCreateSchema,
  storeListQuerySchema,
  storePageSchema,
  storeSchema,
  storeUpdateSchema,
} from '@loyalty/protocol/api/stores.schema';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { pageOf } from '#db/list-query.ts';
import { notFound } from '#http/api-error.ts';
import { findStore, listStores, storeView } from './stores.repository.ts';
import { archiveStore, changeStore, createStore } from './stores.service.ts';

/** Registers /stores routes. */
export function storeRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['stores'];

  r.get(
    '/api/v1/stores',
    {
      schema: {
        tags,
        summary: 'Магазины: поиск, фильтры по атрибутам, сортировка, страницы',
        querystring: storeListQuerySchema,
        response: { 200: storePageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const { rows, total } = await listStores(db, actor.merchantId, request.query);
      return pageOf(rows.map(storeView), total, request.query);
    },
  );

  r.get(
    '/api/v1/stores/:id',
    {
      schema: {
        tags,
        summary: 'Магазин',
        params: idParamsSchema,
        response: { 200: storeSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const row = await findStore(db, actor.merchantId, request.params.id);
      if (!row) throw notFound('Магазин');
      return storeView(row);
    },
  );

  r.post(
    '/api/v1/stores',
    {
      schema: {
        tags,
        summary: 'Добавить магазин',
        body: storeCreateSchema,
        response: { 201: storeSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.storesWrite);
      return reply.status(201).send(await createStore(db, actor, request.body));
    },
  );

  r.patch(
    '/api/v1/stores/:id',
    {
      schema: {
        tags,
        summary: 'Изменить магазин (атрибуты заменяются целиком)',
        params: idParamsSchema,
        body: storeUpdateSchema,
        response: { 200: storeSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.storesWrite);
      return changeStore(db, actor, request.params.id, request.body);
    },
  );

  r.delete(
    '/api/v1/stores/:id',
    {
      schema: {
        tags,
        summary: 'Убрать магазин в архив',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.storesWrite);
      await archiveStore(db, actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
}

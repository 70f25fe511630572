// The merchant's product category tree: paged list, the whole tree, read, create, change, delete.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  categoryCreateSchema,
  categoryListQuerySchema,
  categoryNodeSchema,
  categoryPageSchema,
  categorySchema,
  categoryUpdateSchema,
} from '@loyalty/protocol/api/catalogue.schema';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { pageOf } from '#db/list-query.ts';
import { notFound } from '#http/api-error.ts';
import {
  allCategories,
  categoryTree,
  categoryView,
  findCategory,
  listCategories,
} from './categories.repository.ts';
import { changeCategory, createCategory, removeCategory } from './categories.service.ts';

/** Registers /categories routes. */
export function categoryRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalogue'];

  r.get(
    '/api/v1/categories',
    {
      schema: {
        tags,
        summary: 'Категории товаров: поиск, сортировка, страницы',
        querystring: categoryListQuerySchema,
        response: { 200: categoryPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const { rows, total } = await listCategories(db, actor.merchantId, request.query);
      return pageOf(rows.map(categoryView), total, request.query);
    },
  );

  r.get(
    '/api/v1/categories/tree',
    {
      schema: {
        tags,
        summary: 'Дерево категорий',
        response: { 200: z.array(categoryNodeSchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      return categoryTree(await allCategories(db, actor.merchantId));
    },
  );

  r.get(
    '/api/v1/categories/:id',
    {
      schema: {
        tags,
        summary: 'Категория',
        params: idParamsSchema,
        response: { 200: categorySchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const row = await findCategory(db, actor.merchantId, request.params.id);
      if (!row) throw notFound('Категория');
      return categoryView(row);
    },
  );

  r.post(
    '/api/v1/categories',
    {
      schema: {
        tags,
        summary: 'Добавить категорию',
        body: categoryCreateSchema,
        response: { 201: categorySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.catalogueWrite);
      return reply.status(201).send(await createCategory(db, actor, request.body));
    },
  );

  r.patch(
    '/api/v1/categories/:id',
    {
      schema: {
        tags,
        summary: 'Изменить или перенести категорию',
        params: idParamsSchema,
        body: categoryUpdateSchema,
        response: { 200: categorySchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.catalogueWrite);
      return changeCategory(db, actor, request.params.id, request.body);
    },
  );

  r.delete(
    '/api/v1/categories/:id',
    {
      schema: {
        tags,
        summary: 'Удалить категорию без подкатегорий и товаров',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.catalogueWrite);
      await removeCategory(db, actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
}

// The merchant's products: paged list with search, barcode and category filters, lookup by
// barcode, read, create, change, archive.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  barcodeParamsSchema,
  productCreateSchema,
  productListQuerySchema,
  productPageSchema,
  productSchema,
  productUpdateSchema,
} from '@loyalty/protocol/api/catalogue.schema';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { pageOf } from '#db/list-query.ts';
import { notFound } from '#http/api-error.ts';
import { findActiveProductByBarcode, findProduct, listProducts, productView } from './products.repository.ts';
import { archiveProduct, changeProduct, createProduct } from './products.service.ts';

/** Registers /products routes. */
export function productRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalogue'];

  r.get(
    '/api/v1/products',
    {
      schema: {
        tags,
        summary: 'Товары: поиск по названию и артикулу, штрихкод, категория с подкатегориями, страницы',
        querystring: productListQuerySchema,
        response: { 200: productPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const { rows, total } = await listProducts(db, actor.merchantId, request.query);
      return pageOf(rows.map(productView), total, request.query);
    },
  );

  r.get(
    '/api/v1/products/by-barcode/:barcode',
    {
      schema: {
        tags,
        summary: 'Действующий товар по штрихкоду',
        params: barcodeParamsSchema,
        response: { 200: productSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const row = await findActiveProductByBarcode(db, actor.merchantId, request.params.barcode);
      if (!row) throw notFound('Товар');
      return productView(row);
    },
  );

  r.get(
    '/api/v1/products/:id',
    {
      schema: {
        tags,
        summary: 'Товар',
        params: idParamsSchema,
        response: { 200: productSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsRead);
      const row = await findProduct(db, actor.merchantId, request.params.id);
      if (!row) throw notFound('Товар');
      return productView(row);
    },
  );

  r.post(
    '/api/v1/products',
    {
      schema: {
        tags,
        summary: 'Добавить товар',
        body: productCreateSchema,
        response: { 201: productSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.catalogueWrite);
      return reply.status(201).send(await createProduct(db, actor, request.body));
    },
  );

  r.patch(
    '/api/v1/products/:id',
    {
      schema: {
        tags,
        summary: 'Изменить товар (штрихкоды заменяются списком целиком)',
        params: idParamsSchema,
        body: productUpdateSchema,
        response: { 200: productSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.catalogueWrite);
      return changeProduct(db, actor, request.params.id, request.body);
    },
  );

  r.delete(
    '/api/v1/products/:id',
    {
      schema: {
        tags,
        summary: 'Убрать товар в архив',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.catalogueWrite);
      await archiveProduct(db, actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
}

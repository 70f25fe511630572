// Products of a merchant. Every query is scoped by merchant_id; barcode lookups use the GIN index.
import { sql } from 'kysely';
import type { z } from 'zod';
import { kopecks } from '@loyalty/core/money/money';
import type { productListQuerySchema, productSortSchema } from '@loyalty/protocol/api/catalogue.schema';
import type { ProductUnit } from '#db/database-schema.ts';
import type { Db } from '#db/database.ts';
import { containsPattern, pageOffset, stateFilter } from '#db/list-query.ts';
import { subtreeIds } from './categories.repository.ts';

/** A parsed list query. */
export type ProductListQuery = z.output<typeof productListQuerySchema>;

const columns = [
  'id',
  'category_id',
  'sku',
  'name',
  'price',
  'min_price',
  'barcodes',
  'no_discount',
  'no_accrual',
  'no_points_payment',
  'unit',
  'created_at',
  'updated_at',
  'archived_at',
] as const;

/** A product row as the repository returns it. */
export type ProductRow = {
  id: string;
  category_id: string | null;
  sku: string;
  name: string;
  price: number;
  min_price: number;
  barcodes: string[];
  no_discount: boolean;
  no_accrual: boolean;
  no_points_payment: boolean;
  unit: ProductUnit;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
};

/** The writable fields of a product, named as in the API. */
export type ProductFields = {
  categoryId: string | null;
  sku: string;
  name: string;
  price: number;
  minPrice: number;
  barcodes: string[];
  noDiscount: boolean;
  noAccrual: boolean;
  noPointsPayment: boolean;
  unit: ProductUnit;
};

const sortExpression = {
  name: sql.ref('name'),
  sku: sql.ref('sku'),
  price: sql.ref('price'),
  createdAt: sql.ref('created_at'),
  updatedAt: sql.ref('updated_at'),
} satisfies Record<z.output<typeof productSortSchema>, unknown>;

const hasBarcode = (barcode: string) => sql<boolean>`barcodes @> ARRAY[${barcode}]::text[]`;

function filtered(db: Db, merchantId: string, query: ProductListQuery) {
  let qb = db.selectFrom('products').where('merchant_id', '=', merchantId).where(stateFilter(query.state));
  const { search, barcode, categoryId } = query;
  if (search)
    qb = qb.where((eb) =>
      eb.or([eb('name', 'ilike', containsPattern(search)), eb('sku', 'ilike', containsPattern(search))]),
    );
  if (barcode) qb = qb.where(hasBarcode(barcode));
  if (categoryId) qb = qb.where(sql<boolean>`category_id IN (${subtreeIds(merchantId, categoryId)})`);
  return qb;
}

/** One page of a merchant's products and the count of all that match. */
export async function listProducts(db: Db, merchantId: string, query: ProductListQuery) {
  const [rows, count] = await Promise.all([
    filtered(db, merchantId, query)
      .select(columns)
      .orderBy(sortExpression[query.sort], query.order)
      .orderBy('id')
      .limit(query.pageSize)
      .offset(pageOffset(query.page, query.pageSize))
      .execute(),
    filtered(db, merchantId, query)
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.total };
}

/** A product of this merchant, archived or not. */
export function findProduct(db: Db, merchantId: string, id: string) {
  return db
    .selectFrom('products')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** An active product of this merchant, locked until the transaction ends. */
export function lockActiveProduct(db: Db, merchantId: string, id: string) {
  return db
    .selectFrom('products')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** The active product the scanner finds by this barcode (the oldest, should several share it). */
export function findActiveProductByBarcode(db: Db, merchantId: string, barcode: string) {
  return db
    .selectFrom('products')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .where('archived_at', 'is', null)
    .where(hasBarcode(barcode))
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/** The id of the merchant's product (archived included) with this SKU, other than `exceptId`. */
export async function productIdBySku(db: Db, merchantId: string, sku: string, exceptId: string | null) {
  let qb = db
    .selectFrom('products')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('sku', '=', sku);
  if (exceptId !== null) qb = qb.where('id', '<>', exceptId);
  return (await qb.executeTakeFirst())?.id ?? null;
}

/** Active products, other than `exceptId`, that carry any of these barcodes. */
export function activeProductsWithBarcodes(
  db: Db,
  merchantId: string,
  barcodes: readonly string[],
  exceptId: string | null,
) {
  let qb = db
    .selectFrom('products')
    .select(['id', 'barcodes'])
    .where('merchant_id', '=', merchantId)
    .where('archived_at', 'is', null)
    .where(sql<boolean>`barcodes && ${barcodes}::text[]`);
  if (exceptId !== null) qb = qb.where('id', '<>', exceptId);
  return qb.execute();
}

/** Creates a product. */
export function insertProduct(db: Db, merchantId: string, product: ProductFields) {
  return db
    .insertInto('products')
    .values({
      merchant_id: merchantId,
      category_id: product.categoryId,
      sku: product.sku,
      name: product.name,
      price: product.price,
      min_price: product.minPrice,
      barcodes: product.barcodes,
      no_discount: product.noDiscount,
      no_accrual: product.noAccrual,
      no_points_payment: product.noPointsPayment,
      unit: product.unit,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** Changes the given fields of a product. */
export function updateProduct(
  db: Db,
  merchantId: string,
  id: string,
  changes: Partial<ProductFields> & { archivedAt?: Date },
) {
  return db
    .updateTable('products')
    .set({
      ...(changes.categoryId === undefined ? {} : { category_id: changes.categoryId }),
      ...(changes.sku === undefined ? {} : { sku: changes.sku }),
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.price === undefined ? {} : { price: changes.price }),
      ...(changes.minPrice === undefined ? {} : { min_price: changes.minPrice }),
      ...(changes.barcodes === undefined ? {} : { barcodes: changes.barcodes }),
      ...(changes.noDiscount === undefined ? {} : { no_discount: changes.noDiscount }),
      ...(changes.noAccrual === undefined ? {} : { no_accrual: changes.noAccrual }),
      ...(changes.noPointsPayment === undefined ? {} : { no_points_payment: changes.noPointsPayment }),
      ...(changes.unit === undefined ? {} : { unit: changes.unit }),
      ...(changes.archivedAt === undefined ? {} : { archived_at: changes.archivedAt }),
      updated_at: new Date(),
    })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** The API view of a product row. */
export function productView(row: ProductRow) {
  return {
    id: row.id,
    categoryId: row.category_id,
    sku: row.sku,
    name: row.name,
    price: kopecks(row.price),
    minPrice: kopecks(row.min_price),
    barcodes: row.barcodes,
    noDiscount: row.no_discount,
    noAccrual: row.no_accrual,
    noPointsPayment: row.no_points_payment,
    unit: row.unit,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    archivedAt: row.archived_at?.toISOString() ?? null,
  };
}

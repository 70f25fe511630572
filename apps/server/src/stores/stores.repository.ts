// Stores of a merchant. Every query is scoped by merchant_id.
import { sql } from 'kysely';
import type { z } from 'zod';
import type { storeListQuerySchema, storeSortSchema } from '@loyalty/protocol/api/stores.schema';
import type { Db } from '#db/database.ts';
import { containsPattern, pageOffset, stateFilter } from '#db/list-query.ts';

/** A parsed list query. */
export type StoreListQuery = z.output<typeof storeListQuerySchema>;

const columns = ['id', 'name', 'address', 'attributes', 'created_at', 'updated_at', 'archived_at'] as const;

/** A store row as the repository returns it. */
export type StoreRow = {
  id: string;
  name: string;
  address: string;
  attributes: Record<string, string>;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
};

// jsonb text comes out in the database's C collation; names sort and fold case under ICU root, so
// attributes follow the same rules (see the stores migration).
const attribute = (key: string) =>
  sql<string | null>`(${sql.ref('attributes')}->>${key}) COLLATE "und-x-icu"`;

const sortExpression = {
  name: sql.ref('name'),
  format: attribute('format'),
  cluster: attribute('cluster'),
  city: attribute('city'),
  createdAt: sql.ref('created_at'),
  updatedAt: sql.ref('updated_at'),
} satisfies Record<z.output<typeof storeSortSchema>, unknown>;

function filtered(db: Db, merchantId: string, query: StoreListQuery) {
  let qb = db.selectFrom('stores').where('merchant_id', '=', merchantId).where(stateFilter(query.state));
  if (query.search) qb = qb.where('name', 'ilike', containsPattern(query.search));
  for (const key of ['format', 'cluster', 'city'] as const) {
    const value = query[key];
    // Both sides fold case under ICU: lower() of a C-collated parameter leaves Cyrillic capitals.
    if (value) qb = qb.where(sql<boolean>`lower(${attribute(key)}) = lower(${value} COLLATE "und-x-icu")`);
  }
  return qb;
}

/** One page of a merchant's stores and the count of all that match. */
export async function listStores(db: Db, merchantId: string, query: StoreListQuery) {
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

/** A store of this merchant, archived or not. */
export function findStore(db: Db, merchantId: string, id: string) {
  return db
    .selectFrom('stores')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** An active store of this merchant, locked until the transaction ends. */
export function lockActiveStore(db: Db, merchantId: string, id: string) {
  return db
    .selectFrom('stores')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** Creates a store. */
export function insertStore(
  db: Db,
  merchantId: string,
  store: { name: string; address: string; attributes: Record<string, string> },
) {
  return db
    .insertInto('stores')
    .values({
      merchant_id: merchantId,
      name: store.name,
      address: store.address,
      attributes: JSON.stringify(store.attributes),
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** Changes the given fields of a store. */
export function updateStore(
  db: Db,
  merchantId: string,
  id: string,
  changes: { name?: string; address?: string; attributes?: Record<string, string>; archivedAt?: Date },
) {
  return db
    .updateTable('stores')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.address === undefined ? {} : { address: changes.address }),
      ...(changes.attributes === undefined ? {} : { attributes: JSON.stringify(changes.attributes) }),
      ...(changes.archivedAt === undefined ? {} : { archived_at: changes.archivedAt }),
      updated_at: new Date(),
    })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** The API view of a store row. */
export function storeView(row: StoreRow) {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    attributes: row.attributes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    archivedAt: row.archived_at?.toISOString() ?? null,
  };
}

// Cashiers of a merchant. Every query is scoped by merchant_id; code hashes never leave this file
// except into the database.
import { sql } from 'kysely';
import type { z } from 'zod';
import type { cashierListQuerySchema, cashierSortSchema } from '@loyalty/protocol/api/cashiers.schema';
import type { CashierRole } from '#db/database-schema.ts';
import type { Db } from '#db/database.ts';
import { containsPattern, pageOffset, stateFilter } from '#db/list-query.ts';

/** A parsed list query. */
export type CashierListQuery = z.output<typeof cashierListQuerySchema>;

// The public columns: no code_hash, no code_lookup.
const columns = ['id', 'name', 'role', 'store_id', 'created_at', 'updated_at', 'archived_at'] as const;

/** A cashier row as the repository returns it. */
export type CashierRow = {
  id: string;
  name: string;
  role: CashierRole;
  store_id: string | null;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
};

const sortExpression = {
  name: sql.ref('name'),
  role: sql.ref('role'),
  createdAt: sql.ref('created_at'),
  updatedAt: sql.ref('updated_at'),
} satisfies Record<z.output<typeof cashierSortSchema>, unknown>;

function filtered(db: Db, merchantId: string, query: CashierListQuery) {
  let qb = db.selectFrom('cashiers').where('merchant_id', '=', merchantId).where(stateFilter(query.state));
  if (query.search) qb = qb.where('name', 'ilike', containsPattern(query.search));
  if (query.storeId) qb = qb.where('store_id', '=', query.storeId);
  if (query.role) qb = qb.where('role', '=', query.role);
  return qb;
}

/** One page of a merchant's cashiers and the count of all that match. */
export async function listCashiers(db: Db, merchantId: string, query: CashierListQuery) {
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

/** A cashier of this merchant, archived or not. */
export function findCashier(db: Db, merchantId: string, id: string) {
  return db
    .selectFrom('cashiers')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** An active cashier of this merchant, locked until the transaction ends. */
export function lockActiveCashier(db: Db, merchantId: string, id: string) {
  return db
    .selectFrom('cashiers')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** The id of the merchant's cashier (archived included) holding this code lookup, if any. */
export async function cashierIdByCodeLookup(db: Db, merchantId: string, lookup: Buffer) {
  const row = await db
    .selectFrom('cashiers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('code_lookup', '=', lookup)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Creates a cashier; the caller has hashed the code. */
export function insertCashier(
  db: Db,
  merchantId: string,
  cashier: { name: string; role: CashierRole; storeId: string | null; codeHash: string; codeLookup: Buffer },
) {
  return db
    .insertInto('cashiers')
    .values({
      merchant_id: merchantId,
      name: cashier.name,
      role: cashier.role,
      store_id: cashier.storeId,
      code_hash: cashier.codeHash,
      code_lookup: cashier.codeLookup,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** Changes the given fields of a cashier. */
export function updateCashier(
  db: Db,
  merchantId: string,
  id: string,
  changes: {
    name?: string;
    role?: CashierRole;
    storeId?: string | null;
    code?: { hash: string; lookup: Buffer };
    archivedAt?: Date;
  },
) {
  return db
    .updateTable('cashiers')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.role === undefined ? {} : { role: changes.role }),
      ...(changes.storeId === undefined ? {} : { store_id: changes.storeId }),
      ...(changes.code === undefined
        ? {}
        : { code_hash: changes.code.hash, code_lookup: changes.code.lookup }),
      ...(changes.archivedAt === undefined ? {} : { archived_at: changes.archivedAt }),
      updated_at: new Date(),
    })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** The API view of a cashier row. */
export function cashierView(row: CashierRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    storeId: row.store_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    archivedAt: row.archived_at?.toISOString() ?? null,
  };
}

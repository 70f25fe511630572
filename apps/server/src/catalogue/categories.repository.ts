// The category tree of a merchant. Every query is scoped by merchant_id; tree walks are
// recursive CTEs bounded by depth, so even a damaged tree cannot loop forever.
import { sql } from 'kysely';
import type { z } from 'zod';
import type { categoryListQuerySchema, categorySortSchema } from '@loyalty/protocol/api/catalogue.schema';
import type { Db } from '#db/database.ts';
import { containsPattern, pageOffset } from '#db/list-query.ts';

/** A parsed list query. */
export type CategoryListQuery = z.output<typeof categoryListQuerySchema>;

/** The deepest a walk goes; far beyond the allowed tree depth. */
const WALK_LIMIT = 1000;

const columns = ['id', 'parent_id', 'name', 'position'] as const;

/** A category row as the repository returns it. */
export type CategoryRow = { id: string; parent_id: string | null; name: string; position: number };

/** The API view of a category. */
export type CategoryView = { id: string; name: string; parentId: string | null; position: number };

/** A category with its subcategories. */
export type CategoryNode = CategoryView & { children: CategoryNode[] };

const sortExpression = {
  name: sql.ref('name'),
  position: sql.ref('position'),
} satisfies Record<z.output<typeof categorySortSchema>, unknown>;

function filtered(db: Db, merchantId: string, query: CategoryListQuery) {
  let qb = db.selectFrom('categories').where('merchant_id', '=', merchantId);
  if (query.search) qb = qb.where('name', 'ilike', containsPattern(query.search));
  if (query.parentId) qb = qb.where('parent_id', '=', query.parentId);
  return qb;
}

/** One page of a merchant's categories and the count of all that match. */
export async function listCategories(db: Db, merchantId: string, query: CategoryListQuery) {
  const [rows, count] = await Promise.all([
    filtered(db, merchantId, query)
      .select(columns)
      .orderBy(sortExpression[query.sort], query.order)
      .orderBy('name')
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

/** Every category of a merchant in display order: position, then name. */
export function allCategories(db: Db, merchantId: string) {
  return db
    .selectFrom('categories')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .orderBy('position')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** A category of this merchant. */
export function findCategory(db: Db, merchantId: string, id: string) {
  return db
    .selectFrom('categories')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The category and its ancestors up to the root, nearest first; empty when there is no such category. */
export async function ancestorIds(db: Db, merchantId: string, id: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE chain (id, parent_id, depth) AS (
      SELECT id, parent_id, 1 FROM categories WHERE merchant_id = ${merchantId} AND id = ${id}
      UNION ALL
      SELECT c.id, c.parent_id, chain.depth + 1 FROM categories c JOIN chain ON c.id = chain.parent_id
      WHERE c.merchant_id = ${merchantId} AND chain.depth < ${WALK_LIMIT}
    )
    SELECT id FROM chain ORDER BY depth`.execute(db);
  return result.rows.map((row) => row.id);
}

/** The ids of a category and all its descendants, as a subquery. */
export const subtreeIds = (merchantId: string, id: string) => sql<string>`
  WITH RECURSIVE sub (id, level) AS (
    SELECT id, 1 FROM categories WHERE merchant_id = ${merchantId} AND id = ${id}
    UNION ALL
    SELECT c.id, sub.level + 1 FROM categories c JOIN sub ON c.parent_id = sub.id
    WHERE c.merchant_id = ${merchantId} AND sub.level < ${WALK_LIMIT}
  )
  SELECT id FROM sub`;

/** Levels in the subtree under a category, itself included (a leaf has 1). */
export async function subtreeHeight(db: Db, merchantId: string, id: string): Promise<number> {
  const result = await sql<{ height: number | null }>`
    WITH RECURSIVE sub (id, level) AS (
      SELECT id, 1 FROM categories WHERE merchant_id = ${merchantId} AND id = ${id}
      UNION ALL
      SELECT c.id, sub.level + 1 FROM categories c JOIN sub ON c.parent_id = sub.id
      WHERE c.merchant_id = ${merchantId} AND sub.level < ${WALK_LIMIT}
    )
    SELECT max(level) AS height FROM sub`.execute(db);
  return result.rows[0]?.height ?? 0;
}

/** True when the category has subcategories. */
export async function hasChildren(db: Db, merchantId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('categories')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('parent_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** True when an active product sits in the category. */
export async function hasActiveProducts(db: Db, merchantId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('products')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('category_id', '=', id)
    .where('archived_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Creates a category. */
export function insertCategory(
  db: Db,
  merchantId: string,
  category: { name: string; parentId: string | null; position: number },
) {
  return db
    .insertInto('categories')
    .values({
      merchant_id: merchantId,
      name: category.name,
      parent_id: category.parentId,
      position: category.position,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** Changes the given fields of a category. */
export function updateCategory(
  db: Db,
  merchantId: string,
  id: string,
  changes: { name?: string; parentId?: string | null; position?: number },
) {
  return db
    .updateTable('categories')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.parentId === undefined ? {} : { parent_id: changes.parentId }),
      ...(changes.position === undefined ? {} : { position: changes.position }),
    })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/**
 * Deletes a category without children or active products. Archived products lose the link (the
 * caller audits their ids).
 */
export async function deleteCategory(db: Db, merchantId: string, id: string): Promise<string[]> {
  const detached = await db
    .updateTable('products')
    .set({ category_id: null })
    .where('merchant_id', '=', merchantId)
    .where('category_id', '=', id)
    .where('archived_at', 'is not', null)
    .returning('id')
    .execute();
  await db.deleteFrom('categories').where('merchant_id', '=', merchantId).where('id', '=', id).execute();
  return detached.map((row) => row.id);
}

/** The API view of a category row. */
export const categoryView = (row: CategoryRow): CategoryView => ({
  id: row.id,
  name: row.name,
  parentId: row.parent_id,
  position: row.position,
});

/** Nests rows under their parents, keeping the order the rows came in. */
export function categoryTree(rows: readonly CategoryRow[]): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>(
    rows.map((row) => [row.id, { ...categoryView(row), children: [] }]),
  );
  const roots: CategoryNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id);
    if (!node) continue;
    const parent = row.parent_id === null ? undefined : nodes.get(row.parent_id);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

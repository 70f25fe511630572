// Changes to the category tree, each in one transaction with its audit entry (C10). Writers of
// one merchant's tree take turns, so two concurrent moves can never close a cycle.
import type { Actor } from '#auth/actor.ts';
import { writeAudit } from '#audit/audit.repository.ts';
import type { Db } from '#db/database.ts';
import { lockMerchantScope } from '#db/merchant-lock.ts';
import { isForeignKeyViolation } from '#db/pg-error.ts';
import { badRequest, conflict, notFound } from '#http/api-error.ts';
import {
  ancestorIds,
  categoryView,
  deleteCategory,
  findCategory,
  hasActiveProducts,
  hasChildren,
  insertCategory,
  subtreeHeight,
  updateCategory,
} from './categories.repository.ts';

/** Levels a tree may have: deeper trees help nobody at the till and strain every walk. */
export const MAX_CATEGORY_DEPTH = 10;

const LOCK_SCOPE = 'categories';

const tooDeep = () =>
  badRequest('category_too_deep', `Не больше ${MAX_CATEGORY_DEPTH} уровней вложенности категорий`, {
    maxDepth: MAX_CATEGORY_DEPTH,
  });

/** The parent's chain to the root, or 400 when the parent is not this merchant's category. */
async function parentChain(db: Db, merchantId: string, parentId: string): Promise<string[]> {
  const chain = await ancestorIds(db, merchantId, parentId);
  if (chain.length === 0)
    throw badRequest('unknown_category', 'Родительская категория не найдена', { parentId });
  return chain;
}

/** Creates a category under an existing parent, or at the root. */
export function createCategory(
  db: Db,
  actor: Actor,
  input: { name: string; parentId: string | null; position: number },
) {
  return db.transaction().execute(async (trx) => {
    await lockMerchantScope(trx, LOCK_SCOPE, actor.merchantId);
    if (input.parentId !== null) {
      const chain = await parentChain(trx, actor.merchantId, input.parentId);
      if (chain.length + 1 > MAX_CATEGORY_DEPTH) throw tooDeep();
    }
    const view = categoryView(await insertCategory(trx, actor.merchantId, input));
    await writeAudit(trx, actor, {
      action: 'category.create',
      entity: 'category',
      entityId: view.id,
      after: view,
    });
    return view;
  });
}

/** Renames, reorders or moves a category; refuses a move under itself or its own subcategory. */
export function changeCategory(
  db: Db,
  actor: Actor,
  id: string,
  changes: { name?: string | undefined; parentId?: string | null | undefined; position?: number | undefined },
) {
  return db.transaction().execute(async (trx) => {
    await lockMerchantScope(trx, LOCK_SCOPE, actor.merchantId);
    const before = await findCategory(trx, actor.merchantId, id);
    if (!before) throw notFound('Категория');
    const { parentId } = changes;
    if (parentId !== undefined && parentId !== null && parentId !== before.parent_id) {
      const chain = parentId === id ? [id] : await parentChain(trx, actor.merchantId, parentId);
      if (chain.includes(id))
        throw badRequest('category_cycle', 'Нельзя перенести категорию в неё саму или в её подкатегорию', {
          id,
          parentId,
        });
      if (chain.length + (await subtreeHeight(trx, actor.merchantId, id)) > MAX_CATEGORY_DEPTH)
        throw tooDeep();
    }
    const after = await updateCategory(trx, actor.merchantId, id, {
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(parentId === undefined ? {} : { parentId }),
      ...(changes.position === undefined ? {} : { position: changes.position }),
    });
    const view = categoryView(after);
    await writeAudit(trx, actor, {
      action: 'category.update',
      entity: 'category',
      entityId: id,
      before: categoryView(before),
      after: view,
    });
    return view;
  });
}

const HAS_CHILDREN = 'В категории есть подкатегории: удалите или перенесите их сначала';
const HAS_PRODUCTS = 'В категории есть товары: перенесите их в другую категорию или уберите в архив';

/** Deletes a category that has no subcategories and no active products. */
export async function removeCategory(db: Db, actor: Actor, id: string): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      await lockMerchantScope(trx, LOCK_SCOPE, actor.merchantId);
      const before = await findCategory(trx, actor.merchantId, id);
      if (!before) throw notFound('Категория');
      if (await hasChildren(trx, actor.merchantId, id))
        throw conflict(HAS_CHILDREN, { reason: 'has_children' });
      if (await hasActiveProducts(trx, actor.merchantId, id))
        throw conflict(HAS_PRODUCTS, { reason: 'has_products' });
      const detached = await deleteCategory(trx, actor.merchantId, id);
      await writeAudit(trx, actor, {
        action: 'category.delete',
        entity: 'category',
        entityId: id,
        before: categoryView(before),
        ...(detached.length === 0 ? {} : { after: { archivedProductsDetached: detached } }),
      });
    });
  } catch (error) {
    // A product written into the category while it was being deleted (products take another lock).
    if (isForeignKeyViolation(error, 'products_category_fkey'))
      throw conflict(HAS_PRODUCTS, { reason: 'has_products' });
    throw error;
  }
}

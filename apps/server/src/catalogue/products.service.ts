// Changes to products, each in one transaction with its audit entry (C10). Writers of one
// merchant's products take turns, so a barcode stays on one active product: the till must find
// exactly one product per scan.
import type { Actor } from '#auth/actor.ts';
import { writeAudit } from '#audit/audit.repository.ts';
import type { Db } from '#db/database.ts';
import { lockMerchantScope } from '#db/merchant-lock.ts';
import { isForeignKeyViolation, isUniqueViolation } from '#db/pg-error.ts';
import { ApiError, badRequest, conflict, ErrorCode, notFound } from '#http/api-error.ts';
import { findCategory } from './categories.repository.ts';
import {
  activeProductsWithBarcodes,
  insertProduct,
  lockActiveProduct,
  productIdBySku,
  productView,
  updateProduct,
  type ProductFields,
} from './products.repository.ts';

const LOCK_SCOPE = 'products';
const SKU_TAKEN = 'Товар с таким артикулом уже есть (возможно, в архиве)';

const unknownCategory = (categoryId: string | null) =>
  badRequest('unknown_category', 'Категория не найдена', { categoryId });

async function requireCategory(db: Db, merchantId: string, categoryId: string | null | undefined) {
  if (categoryId === null || categoryId === undefined) return;
  if (!(await findCategory(db, merchantId, categoryId))) throw unknownCategory(categoryId);
}

/** Refuses a SKU any other product has, or a barcode another active product has. */
async function refuseTaken(
  db: Db,
  merchantId: string,
  fields: { sku?: string | undefined; barcodes?: string[] | undefined },
  exceptId: string | null,
) {
  if (fields.sku !== undefined) {
    const other = await productIdBySku(db, merchantId, fields.sku, exceptId);
    if (other !== null) throw conflict(SKU_TAKEN, { field: 'sku', productId: other });
  }
  const barcodes = fields.barcodes ?? [];
  if (barcodes.length === 0) return;
  const others = await activeProductsWithBarcodes(db, merchantId, barcodes, exceptId);
  if (others.length === 0) return;
  const taken = barcodes.filter((barcode) => others.some((other) => other.barcodes.includes(barcode)));
  throw conflict(`Штрихкод уже есть у другого товара: ${taken.join(', ')}`, {
    field: 'barcodes',
    barcodes: taken,
    productIds: others.map((other) => other.id),
  });
}

/** Turns a race that slipped past the checks into the answer the checks give. */
async function guarded<T>(run: () => Promise<T>, categoryId: string | null | undefined): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error, 'products_sku_key')) throw conflict(SKU_TAKEN, { field: 'sku' });
    if (isForeignKeyViolation(error, 'products_category_fkey')) throw unknownCategory(categoryId ?? null);
    throw error;
  }
}

const distinct = (barcodes: string[]) => [...new Set(barcodes)];

/** Creates a product. */
export function createProduct(db: Db, actor: Actor, input: ProductFields) {
  const fields = { ...input, barcodes: distinct(input.barcodes) };
  return guarded(
    () =>
      db.transaction().execute(async (trx) => {
        await lockMerchantScope(trx, LOCK_SCOPE, actor.merchantId);
        await requireCategory(trx, actor.merchantId, fields.categoryId);
        await refuseTaken(trx, actor.merchantId, fields, null);
        const view = productView(await insertProduct(trx, actor.merchantId, fields));
        await writeAudit(trx, actor, {
          action: 'product.create',
          entity: 'product',
          entityId: view.id,
          after: view,
        });
        return view;
      }),
    fields.categoryId,
  );
}

/** Changes an active product; `barcodes`, when given, replaces the whole list. */
export function changeProduct(db: Db, actor: Actor, id: string, changes: Partial<ProductFields>) {
  const fields =
    changes.barcodes === undefined ? changes : { ...changes, barcodes: distinct(changes.barcodes) };
  return guarded(
    () =>
      db.transaction().execute(async (trx) => {
        await lockMerchantScope(trx, LOCK_SCOPE, actor.merchantId);
        const before = await lockActiveProduct(trx, actor.merchantId, id);
        if (!before) throw notFound('Товар');
        if ((fields.minPrice ?? before.min_price) > (fields.price ?? before.price))
          throw new ApiError(400, ErrorCode.invalidRequest, 'Неверный запрос: минимальная цена больше цены', {
            issues: [
              {
                path: 'body.minPrice',
                code: 'custom',
                message: 'Минимальная цена не может быть больше цены',
              },
            ],
          });
        await requireCategory(trx, actor.merchantId, fields.categoryId);
        await refuseTaken(
          trx,
          actor.merchantId,
          { sku: fields.sku === before.sku ? undefined : fields.sku, barcodes: fields.barcodes },
          id,
        );
        const after = await updateProduct(trx, actor.merchantId, id, fields);
        const view = productView(after);
        await writeAudit(trx, actor, {
          action: 'product.update',
          entity: 'product',
          entityId: id,
          before: productView(before),
          after: view,
        });
        return view;
      }),
    fields.categoryId,
  );
}

/** Archives an active product: it leaves the till's catalogue and frees its barcodes. */
export function archiveProduct(db: Db, actor: Actor, id: string) {
  return db.transaction().execute(async (trx) => {
    const before = await lockActiveProduct(trx, actor.merchantId, id);
    if (!before) throw notFound('Товар');
    const after = await updateProduct(trx, actor.merchantId, id, { archivedAt: new Date() });
    await writeAudit(trx, actor, {
      action: 'product.archive',
      entity: 'product',
      entityId: id,
      before: productView(before),
      after: productView(after),
    });
  });
}

// Products from a file (B5) under the rules of POST /products: the same body schema (price and
// minimum price in kopecks, minimum not above the price, barcode format), a SKU no other product
// has, archived ones included, and a barcode on at most one active product: within the file and
// against the catalogue. Prices are written in roubles, as people keep them.
import { productCreateSchema } from '@loyalty/protocol/api/catalogue.schema';
import { Permission } from '#auth/permissions.ts';
import { allCategories } from '#catalogue/categories.repository.ts';
import type { ProductFields } from '#catalogue/products.repository.ts';
import type { Db } from '#db/database.ts';
import { isUniqueViolation } from '#db/pg-error.ts';
import { conflict } from '#http/api-error.ts';
import { parseHundredths, parseYesNo, splitList } from './cell-values.ts';
import { insertProducts, takenBarcodes, takenSkus } from './import-batches.repository.ts';
import { headerKey } from './import-columns.ts';
import {
  flagRepeats,
  reportIssues,
  rowCells,
  type Importer,
  type RowCells,
  type RowError,
} from './importer.ts';

/** The scope products.service.ts locks for every product write, so imports take turns with it. */
const PRODUCTS_LOCK_SCOPE = 'products';

const units: Record<string, 'piece' | 'kg'> = {
  шт: 'piece',
  штука: 'piece',
  штук: 'piece',
  piece: 'piece',
  pcs: 'piece',
  pc: 'piece',
  кг: 'kg',
  килограмм: 'kg',
  kg: 'kg',
};
const flags = ['noDiscount', 'noAccrual', 'noPointsPayment'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type ProductLine = { cells: RowCells; sku: string | null; barcodes: string[]; fields: ProductFields | null };
type CategoryIndex = { ids: ReadonlySet<string>; byName: ReadonlyMap<string, string[]> };

/**
 * The file field an issue of productCreateSchema points to. "Minimum above the price" compares
 * two numbers; when either failed to read, the comparison says nothing new.
 */
function fieldOfIssue(cells: RowCells, path: readonly PropertyKey[]): string | null | undefined {
  const [head] = path;
  if (head === undefined) return null;
  if (head === 'minPrice' && (cells.hasFailed('price') || cells.hasFailed('minPrice'))) return undefined;
  return head === 'categoryId' ? 'category' : String(head);
}

function readMoney(cells: RowCells, field: 'price' | 'minPrice', body: Record<string, unknown>) {
  const raw = cells.value(field);
  if (raw === '') return;
  const amount = parseHundredths(raw);
  if (!amount.ok) cells.fail(field, amount.error.code, amount.error.message);
  else if (amount.value < 0) cells.fail(field, 'too_small', 'Цена не может быть меньше нуля');
  else body[field] = amount.value;
}

function readCategory(cells: RowCells, categories: CategoryIndex): string | null {
  const raw = cells.value('category');
  if (raw === '') return null;
  if (UUID.test(raw) && categories.ids.has(raw.toLowerCase())) return raw.toLowerCase();
  const ids = categories.byName.get(headerKey(raw)) ?? [];
  if (ids.length === 1) return ids[0] ?? null;
  cells.fail(
    'category',
    ids.length === 0 ? 'unknown_category' : 'ambiguous_category',
    ids.length === 0
      ? 'Категория не найдена: создайте её в каталоге'
      : 'Категорий с таким названием несколько: укажите id категории',
  );
  return null;
}

function readLine(cells: RowCells, categories: CategoryIndex): ProductLine {
  const body: Record<string, unknown> = { sku: cells.value('sku'), name: cells.value('name') };
  if (cells.value('price') === '') cells.fail('price', 'required', 'Укажите цену');
  readMoney(cells, 'price', body);
  readMoney(cells, 'minPrice', body);
  const barcodes = [...new Set(splitList(cells.value('barcodes'), /[\s,;]+/))];
  body.barcodes = barcodes;
  body.categoryId = readCategory(cells, categories);
  if (cells.value('unit') !== '') {
    const unit = units[headerKey(cells.value('unit'))];
    if (unit) body.unit = unit;
    else cells.fail('unit', 'invalid_unit', 'Единица измерения: «шт» или «кг»');
  }
  for (const flag of flags) {
    if (cells.value(flag) === '') continue;
    const value = parseYesNo(cells.value(flag));
    if (value.ok) body[flag] = value.value;
    else cells.fail(flag, value.error.code, value.error.message);
  }
  const parsed = productCreateSchema.safeParse(body);
  if (!parsed.success) reportIssues(cells, parsed.error.issues, (path) => fieldOfIssue(cells, path));
  return {
    cells,
    sku: parsed.success ? parsed.data.sku : cells.value('sku') || null,
    barcodes,
    fields: parsed.success ? parsed.data : null,
  };
}

async function categoryIndex(db: Db, merchantId: string) {
  const rows = await allCategories(db, merchantId);
  const byName = new Map<string, string[]>();
  for (const row of rows) {
    const key = headerKey(row.name);
    byName.set(key, [...(byName.get(key) ?? []), row.id]);
  }
  return { ids: new Set(rows.map((row) => row.id)), byName } satisfies CategoryIndex;
}

/** Products: POST /imports/products. */
export const productsImporter: Importer = {
  permissions: [Permission.catalogueWrite],
  lockScopes: [PRODUCTS_LOCK_SCOPE],
  columnRules: () => Promise.resolve({ extra: [], required: [] }),

  async check(trx, actor, rows, columns) {
    const merchantId = actor.merchantId;
    const categories = await categoryIndex(trx, merchantId);
    const errors: RowError[] = [];
    const lines = rows.map((row) => readLine(rowCells(row, columns, errors), categories));

    flagRepeats(
      lines.map((l) => ({ cells: l.cells, key: l.sku })),
      'sku',
      'Этот артикул',
    );
    const firstRowOf = new Map<string, number>();
    for (const line of lines)
      for (const barcode of line.barcodes) {
        const earlier = firstRowOf.get(barcode);
        if (earlier === undefined) firstRowOf.set(barcode, line.cells.row);
        else
          line.cells.fail(
            'barcodes',
            'duplicate_in_file',
            `Штрихкод ${barcode} уже есть в строке ${earlier}`,
          );
      }
    const skus = await takenSkus(
      trx,
      merchantId,
      lines.flatMap((l) => (l.sku ? [l.sku] : [])),
    );
    const barcodes = await takenBarcodes(trx, merchantId, [...firstRowOf.keys()]);
    for (const line of lines) {
      if (line.sku && skus.has(line.sku))
        line.cells.fail('sku', 'sku_taken', 'Товар с таким артикулом уже есть (возможно, в архиве)');
      const taken = line.barcodes.filter((barcode) => barcodes.has(barcode));
      if (taken.length > 0)
        line.cells.fail(
          'barcodes',
          'barcode_taken',
          `Штрихкод уже есть у другого товара: ${taken.join(', ')}`,
        );
    }

    return {
      errors,
      write: async (db) => {
        try {
          await insertProducts(
            db,
            merchantId,
            lines.flatMap((l) => (l.fields ? [l.fields] : [])),
          );
        } catch (error) {
          if (isUniqueViolation(error, 'products_sku_key'))
            throw conflict('Товар с артикулом из файла только что добавили: загрузите файл снова');
          throw error;
        }
        return lines.length;
      },
    };
  },
};

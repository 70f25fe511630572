// The cached catalogue (SYNC.md `products` stream) with a barcode index, searched by name,
// SKU or barcode while offline.
import type { ProductItem } from '@loyalty/protocol/sync/pull.schema';
import { prepared, type Sqlite } from '#core/store/database.ts';
import { fromJson, toJson } from '#core/store/json-column.ts';

type ProductRow = {
  id: string;
  sku: string | null;
  name: string;
  category_id: string | null;
  price: number;
  unit: ProductItem['unit'];
  min_price: number;
  no_discount: number;
  no_accrual: number;
  no_points_payment: number;
  barcodes: string;
};

const fromRow = (row: ProductRow): ProductItem => ({
  id: row.id,
  sku: row.sku ?? '',
  name: row.name,
  barcodes: fromJson<string[]>(row.barcodes),
  categoryId: row.category_id,
  price: row.price,
  unit: row.unit,
  minPrice: row.min_price,
  noDiscount: row.no_discount === 1,
  noAccrual: row.no_accrual === 1,
  noPointsPayment: row.no_points_payment === 1,
});

/**
 * Lower-cased search text. SQLite's lower() folds only ASCII, so Cyrillic names are folded here
 * (and ё read as е, as cashiers type it).
 */
export const searchText = (value: string): string => value.toLocaleLowerCase('ru').replace(/ё/g, 'е');

/** Inserts or replaces a product and its barcodes. */
export function putProduct(db: Sqlite, item: ProductItem): void {
  db.prepare(
    `INSERT INTO cache_products (id, sku, name, search_text, category_id, price, unit, min_price,
       no_discount, no_accrual, no_points_payment, barcodes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name = excluded.name,
       search_text = excluded.search_text, category_id = excluded.category_id, price = excluded.price,
       unit = excluded.unit, min_price = excluded.min_price, no_discount = excluded.no_discount,
       no_accrual = excluded.no_accrual, no_points_payment = excluded.no_points_payment,
       barcodes = excluded.barcodes`,
  ).run(
    item.id,
    item.sku,
    item.name,
    searchText(`${item.name} ${item.sku}`),
    item.categoryId,
    item.price,
    item.unit,
    item.minPrice,
    item.noDiscount ? 1 : 0,
    item.noAccrual ? 1 : 0,
    item.noPointsPayment ? 1 : 0,
    toJson(item.barcodes),
  );
  db.prepare('DELETE FROM cache_product_barcodes WHERE product_id = ?').run(item.id);
  const barcode = db.prepare(
    'INSERT OR IGNORE INTO cache_product_barcodes (barcode, product_id) VALUES (?, ?)',
  );
  for (const code of item.barcodes) barcode.run(code, item.id);
}

/** Removes an archived product (its barcodes go with it). */
export function deleteProduct(db: Sqlite, id: string): void {
  db.prepare('DELETE FROM cache_products WHERE id = ?').run(id);
}

/** A product by id. */
export function getProduct(db: Sqlite, id: string): ProductItem | null {
  const row = db.prepare<[string], ProductRow>('SELECT * FROM cache_products WHERE id = ?').get(id);
  return row ? fromRow(row) : null;
}

/** Products by id or SKU, as the purchase API names them. */
export function getProductsByIdOrSku(db: Sqlite, keys: readonly string[]): Map<string, ProductItem> {
  // Every calculation (each scan) resolves its lines here: prepared once per connection.
  const byId = prepared<[string], ProductRow>(db, 'SELECT * FROM cache_products WHERE id = ?');
  const bySku = prepared<[string], ProductRow>(db, 'SELECT * FROM cache_products WHERE sku = ? LIMIT 1');
  const found = new Map<string, ProductItem>();
  for (const key of keys) {
    const row = byId.get(key) ?? bySku.get(key);
    if (row) found.set(key, fromRow(row));
  }
  return found;
}

/** Products with this barcode (one barcode may be shared by several products, rarely). */
export function productsByBarcode(db: Sqlite, barcode: string): ProductItem[] {
  return prepared<[string], ProductRow>(
    db,
    `SELECT p.* FROM cache_product_barcodes b JOIN cache_products p ON p.id = b.product_id
       WHERE b.barcode = ? ORDER BY p.name`,
  )
    .all(barcode)
    .map(fromRow);
}

/** Products whose name or SKU contains the text, or whose barcode starts with it. */
export function searchProducts(db: Sqlite, text: string, limit: number): ProductItem[] {
  const needle = searchText(text.trim()).replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .prepare<[string, string, number], ProductRow>(
      `SELECT * FROM cache_products
       WHERE search_text LIKE '%' || ? || '%' ESCAPE '\\'
          OR id IN (SELECT product_id FROM cache_product_barcodes WHERE barcode LIKE ? || '%' ESCAPE '\\')
       ORDER BY name LIMIT ?`,
    )
    .all(needle, needle, limit)
    .map(fromRow);
}

/** How many products are cached. */
export const countProducts = (db: Sqlite): number =>
  db.prepare<[], { n: number }>('SELECT count(*) AS n FROM cache_products').get()?.n ?? 0;

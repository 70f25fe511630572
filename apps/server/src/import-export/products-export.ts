// The product catalogue as XLSX: the rows and order GET /products shows for the same filters.
// The first columns carry the import's headers, so an export is also a template for an import.
import type { z } from 'zod';
import type { productsExportQuerySchema } from '@loyalty/protocol/api/import-export.schema';
import { allCategories } from '#catalogue/categories.repository.ts';
import { listProducts, type ProductRow } from '#catalogue/products.repository.ts';
import type { Db } from '#db/database.ts';
import { wallClock } from './merchant-time.ts';
import { hundredths, yesNo, type SheetColumn, type SheetSource } from './xlsx-writer.ts';

const PAGE_SIZE = 1000;

/** The sheet of products matching the list query, in the list's order. */
export async function productsSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof productsExportQuerySchema>,
): Promise<SheetSource<ProductRow>> {
  const categories = new Map((await allCategories(db, merchantId)).map((c) => [c.id, c.name]));
  const at = (instant: Date | null) => (instant ? wallClock(instant, timeZone) : null);
  const columns: Array<SheetColumn<ProductRow>> = [
    { header: 'Артикул', value: (p) => p.sku },
    { header: 'Название', width: 40, value: (p) => p.name },
    {
      header: 'Категория',
      width: 24,
      value: (p) => (p.category_id ? (categories.get(p.category_id) ?? null) : null),
    },
    { header: 'Цена', format: 'money', value: (p) => hundredths(p.price) },
    { header: 'Мин. цена', format: 'money', value: (p) => hundredths(p.min_price) },
    { header: 'Штрихкоды', width: 30, value: (p) => p.barcodes.join(', ') || null },
    { header: 'Ед. изм.', width: 8, value: (p) => (p.unit === 'kg' ? 'кг' : 'шт') },
    { header: 'Без скидки', value: (p) => yesNo(p.no_discount) },
    { header: 'Без начисления', value: (p) => yesNo(p.no_accrual) },
    { header: 'Без оплаты баллами', value: (p) => yesNo(p.no_points_payment) },
    { header: 'Создан', format: 'datetime', value: (p) => at(p.created_at) },
    { header: 'Изменён', format: 'datetime', value: (p) => at(p.updated_at) },
    { header: 'В архиве с', format: 'datetime', value: (p) => at(p.archived_at) },
  ];

  async function* pages() {
    for (let page = 1; ; page++) {
      const { rows } = await listProducts(db, merchantId, { ...query, page, pageSize: PAGE_SIZE });
      yield rows;
      if (rows.length < PAGE_SIZE) return;
    }
  }
  return { name: 'Товары', columns, pages: pages() };
}

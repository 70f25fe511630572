// Receipts as XLSX, newest first, by the merchant's calendar days, store, buyer and cashier (the
// filters of `GET /receipts`), with the cashier's name. Pages are read by keyset
// (created_at, id), which stays fast however deep the export goes; the cursor keeps created_at as
// text, since a JS Date would drop PostgreSQL's microseconds and skip rows.
import { sql } from 'kysely';
import type { z } from 'zod';
import type { receiptsExportQuerySchema } from '@loyalty/protocol/api/import-export.schema';
import type { Db } from '#db/database.ts';
import { localMidnight, wallClock } from './merchant-time.ts';
import { hundredths, type SheetColumn, type SheetSource } from './xlsx-writer.ts';

const PAGE_SIZE = 1000;

const sourceNames: Record<string, string> = {
  api: 'API',
  cabinet: 'Кабинет',
  till: 'Касса',
  terminal: 'Касса',
};

function receiptsQuery(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof receiptsExportQuerySchema>,
) {
  let qb = db
    .selectFrom('receipts')
    .leftJoin('stores', (join) =>
      join
        .onRef('stores.id', '=', 'receipts.store_id')
        .onRef('stores.merchant_id', '=', 'receipts.merchant_id'),
    )
    .leftJoin('buyers', (join) =>
      join
        .onRef('buyers.id', '=', 'receipts.buyer_id')
        .onRef('buyers.merchant_id', '=', 'receipts.merchant_id'),
    )
    .leftJoin('cashiers', (join) =>
      join
        .onRef('cashiers.id', '=', 'receipts.cashier_id')
        .onRef('cashiers.merchant_id', '=', 'receipts.merchant_id'),
    )
    .select([
      'receipts.id',
      'receipts.created_at',
      'receipts.number',
      'stores.name as store_name',
      'buyers.phone as buyer_phone',
      'cashiers.name as cashier_name',
      'receipts.amount',
      'receipts.discount',
      'receipts.points_paid',
      'receipts.paid_money',
      'receipts.accrual',
      'receipts.source',
      sql<string>`receipts.created_at::text`.as('cursor_at'),
    ])
    .where('receipts.merchant_id', '=', merchantId);
  if (query.dateFrom) qb = qb.where('receipts.created_at', '>=', localMidnight(query.dateFrom, timeZone));
  if (query.dateTo) qb = qb.where('receipts.created_at', '<', localMidnight(query.dateTo, timeZone, 1));
  if (query.storeId) qb = qb.where('receipts.store_id', '=', query.storeId);
  if (query.buyerId) qb = qb.where('receipts.buyer_id', '=', query.buyerId);
  if (query.cashierId) qb = qb.where('receipts.cashier_id', 'in', query.cashierId);
  return qb;
}

type ReceiptLine = Awaited<ReturnType<ReturnType<typeof receiptsQuery>['execute']>>[number];

/** The sheet of receipts matching the filters, newest first. */
export function receiptsSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof receiptsExportQuerySchema>,
): SheetSource<ReceiptLine> {
  const columns: Array<SheetColumn<ReceiptLine>> = [
    { header: 'Дата', format: 'datetime', value: (r) => wallClock(r.created_at, timeZone) },
    { header: 'Номер чека', value: (r) => r.number },
    { header: 'Магазин', width: 24, value: (r) => r.store_name },
    { header: 'Телефон покупателя', value: (r) => r.buyer_phone },
    { header: 'Кассир', width: 24, value: (r) => r.cashier_name },
    { header: 'Сумма, ₽', format: 'money', value: (r) => hundredths(r.amount) },
    { header: 'Скидка, ₽', format: 'money', value: (r) => hundredths(r.discount) },
    { header: 'Оплачено баллами', format: 'points', value: (r) => hundredths(r.points_paid) },
    { header: 'Оплачено деньгами, ₽', format: 'money', value: (r) => hundredths(r.paid_money) },
    { header: 'Начислено баллов', format: 'points', value: (r) => hundredths(r.accrual) },
    { header: 'Источник', value: (r) => sourceNames[r.source] ?? r.source },
    { header: 'ID', width: 38, value: (r) => r.id },
  ];

  async function* pages() {
    let after: { at: string; id: string } | null = null;
    for (;;) {
      let qb = receiptsQuery(db, merchantId, timeZone, query);
      if (after) {
        const { at, id } = after;
        qb = qb.where(sql<boolean>`(receipts.created_at, receipts.id) < (${at}::timestamptz, ${id}::uuid)`);
      }
      const rows = await qb
        .orderBy('receipts.created_at', 'desc')
        .orderBy('receipts.id', 'desc')
        .limit(PAGE_SIZE)
        .execute();
      yield rows;
      const tail = rows.at(-1);
      if (!tail || rows.length < PAGE_SIZE) return;
      after = { at: tail.cursor_at, id: tail.id };
    }
  }
  return { name: 'Чеки', columns, pages: pages() };
}

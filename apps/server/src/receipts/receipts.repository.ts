// Reads of receipts for the cabinet: a page of them by day, store, buyer and cashier (newest first,
// on the (merchant_id, created_at), (merchant_id, buyer_id, created_at) and (merchant_id,
// cashier_id, created_at) indexes) and one with lines; each names its cashier as the sales log does.
import type { ExpressionBuilder } from 'kysely';
import type { z } from 'zod';
import type { receiptListQuerySchema } from '@loyalty/protocol/api/receipts.schema';
import type { Database } from '#db/database-schema.ts';
import type { Db } from '#db/database.ts';
import { pageOffset } from '#db/list-query.ts';
import { localMidnight } from '#import-export/merchant-time.ts';

const receiptColumns = [
  'id',
  'created_at',
  'number',
  'store_id',
  'buyer_id',
  'terminal_id',
  'source',
  'amount',
  'discount',
  'points_paid',
  'paid_money',
  'accrual',
  'overdraft',
  'cashier_id',
] as const;

/** The receipt's cashier's name: a scalar subquery, so the receipt's own columns stay unqualified. */
const cashierName = (eb: ExpressionBuilder<Database, 'receipts'>) =>
  eb
    .selectFrom('cashiers')
    .select('cashiers.name')
    .whereRef('cashiers.id', '=', 'receipts.cashier_id')
    .whereRef('cashiers.merchant_id', '=', 'receipts.merchant_id')
    .as('cashier_name');

type ReceiptRow = {
  id: string;
  created_at: Date;
  number: string | null;
  store_id: string | null;
  buyer_id: string | null;
  terminal_id: string | null;
  source: string;
  amount: number;
  discount: number;
  points_paid: number;
  paid_money: number;
  accrual: number;
  overdraft: number;
  cashier_id: string | null;
  cashier_name: string | null;
};

/** The API view of a receipt row. */
export const receiptView = (r: ReceiptRow) => ({
  id: r.id,
  createdAt: r.created_at.toISOString(),
  number: r.number,
  storeId: r.store_id,
  buyerId: r.buyer_id,
  terminalId: r.terminal_id,
  source: r.source,
  amount: Number(r.amount),
  discount: Number(r.discount),
  pointsPaid: Number(r.points_paid),
  paidMoney: Number(r.paid_money),
  accrual: Number(r.accrual),
  overdraft: Number(r.overdraft),
  cashierId: r.cashier_id,
  cashierName: r.cashier_name,
});

/** A page of the merchant's receipts matching the filters, and how many match. */
export async function listReceipts(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof receiptListQuerySchema>,
) {
  let base = db.selectFrom('receipts').where('merchant_id', '=', merchantId);
  if (query.dateFrom) base = base.where('created_at', '>=', localMidnight(query.dateFrom, timeZone));
  if (query.dateTo) base = base.where('created_at', '<', localMidnight(query.dateTo, timeZone, 1));
  if (query.storeId) base = base.where('store_id', '=', query.storeId);
  if (query.buyerId) base = base.where('buyer_id', '=', query.buyerId);
  if (query.cashierId) base = base.where('cashier_id', 'in', query.cashierId);
  const [rows, total] = await Promise.all([
    base
      .select(receiptColumns)
      .select(cashierName)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.pageSize)
      .offset(pageOffset(query.page, query.pageSize))
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** One receipt of the merchant with its lines, or undefined. */
export async function findReceiptWithLines(db: Db, merchantId: string, id: string) {
  const receipt = await db
    .selectFrom('receipts')
    .select(receiptColumns)
    .select(cashierName)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!receipt) return undefined;
  const lines = await db
    .selectFrom('receipt_lines')
    .select([
      'position',
      'product_id',
      'category_id',
      'quantity',
      'price',
      'amount',
      'discount',
      'points_paid',
      'paid_money',
      'accrual',
    ])
    .where('merchant_id', '=', merchantId)
    .where('receipt_id', '=', id)
    .orderBy('position')
    .execute();
  return {
    ...receiptView(receipt),
    lines: lines.map((l) => ({
      position: l.position,
      productId: l.product_id,
      categoryId: l.category_id,
      quantity: Number(l.quantity),
      price: Number(l.price),
      amount: Number(l.amount),
      discount: Number(l.discount),
      pointsPaid: Number(l.points_paid),
      paidMoney: Number(l.paid_money),
      accrual: Number(l.accrual),
    })),
  };
}

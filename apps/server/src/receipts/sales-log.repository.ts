// The sales log (G5): sales and returns as one list. A return's figures come from the calculation
// booked with it (receipt_returns.response.result, core's ReturnCalculation) with the sign turned,
// so sums over the log are the period's net. Both halves read their (merchant_id, created_at)
// index (the (merchant_id, cashier_id, created_at) one with a cashier filter); the outer ORDER BY
// merges them. A sale shows the cashier who made it, a return the one who took it.
import { sql, type RawBuilder } from 'kysely';
import type { z } from 'zod';
import type { salesLogQuerySchema } from '@loyalty/protocol/api/receipts.schema';
import type { Db } from '#db/database.ts';
import { pageOffset } from '#db/list-query.ts';
import { localMidnight } from '#import-export/merchant-time.ts';

export type SalesLogQuery = z.output<typeof salesLogQuerySchema>;

export type SalesLogRow = {
  id: string;
  type: 'sale' | 'return';
  receipt_id: string;
  created_at: Date;
  number: string | null;
  store_id: string | null;
  buyer_id: string | null;
  cashier_id: string | null;
  cashier_name: string | null;
  source: string;
  total: string;
  discount: string;
  points_paid: string;
  paid_money: string;
  accrual: string;
  overdraft: string;
};

/** Receipt-level rewards (gift, referral) a return took back, from its booked calculation. */
export const receiptAccrualsReversedSql = (response: RawBuilder<unknown>) => sql<string>`coalesce((
  SELECT sum((a->>'points')::bigint)
  FROM jsonb_array_elements(${response}->'result'->'receiptAccrualsReversed') AS a), 0)`;

const totalsField = (field: string) => sql<string>`(x.response->'result'->'totals'->>${field})::bigint`;

/** The union of sales and returns matching the filters, as a subquery named `ops`. */
function operations(merchantId: string, timeZone: string, query: SalesLogQuery) {
  const sale: RawBuilder<unknown>[] = [sql`r.merchant_id = ${merchantId}`];
  const back: RawBuilder<unknown>[] = [sql`x.merchant_id = ${merchantId}`];
  if (query.dateFrom) {
    const from = localMidnight(query.dateFrom, timeZone);
    sale.push(sql`r.created_at >= ${from}`);
    back.push(sql`x.created_at >= ${from}`);
  }
  if (query.dateTo) {
    const to = localMidnight(query.dateTo, timeZone, 1);
    sale.push(sql`r.created_at < ${to}`);
    back.push(sql`x.created_at < ${to}`);
  }
  if (query.storeId) {
    sale.push(sql`r.store_id = ${query.storeId}`);
    back.push(sql`r.store_id = ${query.storeId}`);
  }
  if (query.buyerId) {
    sale.push(sql`r.buyer_id = ${query.buyerId}`);
    back.push(sql`r.buyer_id = ${query.buyerId}`);
  }
  if (query.cashierId) {
    sale.push(sql`r.cashier_id = ANY(${query.cashierId}::uuid[])`);
    back.push(sql`x.cashier_id = ANY(${query.cashierId}::uuid[])`);
  }
  const sales = sql`
    SELECT r.id, 'sale'::text AS type, r.id AS receipt_id, r.created_at, r.number, r.store_id, r.buyer_id,
           r.cashier_id, r.source, r.amount - r.discount AS total, r.discount, r.points_paid, r.paid_money, r.accrual,
           r.overdraft
    FROM receipts r
    WHERE ${sql.join(sale, sql` AND `)}`;
  const returns = sql`
    SELECT x.id, 'return'::text AS type, r.id AS receipt_id, x.created_at, r.number, r.store_id, r.buyer_id,
           x.cashier_id, r.source, -${totalsField('amount')} AS total, 0::bigint AS discount,
           -${totalsField('pointsRestored')} AS points_paid, -x.refund_money AS paid_money,
           -(${totalsField('accrualReversed')} + ${receiptAccrualsReversedSql(sql`x.response`)}) AS accrual,
           0::bigint AS overdraft
    FROM receipt_returns x
    JOIN receipts r ON r.id = x.receipt_id AND r.merchant_id = x.merchant_id
    WHERE ${sql.join(back, sql` AND `)}`;
  if (query.type === 'sale') return sales;
  if (query.type === 'return') return returns;
  return sql`${sales} UNION ALL ${returns}`;
}

/** The ORDER BY of the log: the chosen key, then the id, both one way, so pages never overlap. */
function orderBy(query: SalesLogQuery) {
  const direction = query.order === 'asc' ? sql`ASC` : sql`DESC`;
  const key = query.sort === 'total' ? sql`ops.total` : sql`ops.created_at`;
  return sql`${key} ${direction}, ops.id ${direction}`;
}

/** A page of `ops` in the log's order, with each operation's cashier's name (joined after paging). */
function page(ops: RawBuilder<unknown>, query: SalesLogQuery, limit: number, offset: number) {
  return sql<SalesLogRow>`
    SELECT ops.*, c.name AS cashier_name
    FROM (SELECT * FROM (${ops}) AS ops ORDER BY ${orderBy(query)} LIMIT ${limit} OFFSET ${offset}) AS ops
    LEFT JOIN cashiers c ON c.id = ops.cashier_id
    ORDER BY ${orderBy(query)}`;
}

/** One page of the log and how many operations match. */
export async function listSalesLog(db: Db, merchantId: string, timeZone: string, query: SalesLogQuery) {
  const ops = operations(merchantId, timeZone, query);
  const [rows, count] = await Promise.all([
    page(ops, query, query.pageSize, pageOffset(query.page, query.pageSize)).execute(db),
    sql<{ n: string }>`SELECT count(*) AS n FROM (${ops}) AS ops`.execute(db),
  ]);
  return { rows: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
}

/** Every matching operation in the log's order, `size` at a time (for the export, in one snapshot). */
export async function* salesLogPages(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: SalesLogQuery,
  size = 1000,
): AsyncGenerator<SalesLogRow[]> {
  const ops = operations(merchantId, timeZone, query);
  for (let offset = 0; ; offset += size) {
    const rows = (await page(ops, query, size, offset).execute(db)).rows;
    yield rows;
    if (rows.length < size) return;
  }
}

/** The API view of a log row. */
export const salesLogView = (r: SalesLogRow) => ({
  id: r.id,
  type: r.type,
  receiptId: r.receipt_id,
  createdAt: r.created_at.toISOString(),
  number: r.number,
  storeId: r.store_id,
  buyerId: r.buyer_id,
  cashierId: r.cashier_id,
  cashierName: r.cashier_name,
  source: r.source,
  total: Number(r.total),
  discount: Number(r.discount),
  pointsPaid: Number(r.points_paid),
  paidMoney: Number(r.paid_money),
  accrual: Number(r.accrual),
  overdraft: Number(r.overdraft),
});

type ReturnedLine = {
  index: number;
  quantity: number;
  refundMoney: number;
  pointsRestored: number;
  accrualReversed: number;
  amount: number;
};

/** One return of the merchant with its lines (product ids from the receipt), or undefined. */
export async function findReturnWithLines(db: Db, merchantId: string, id: string) {
  const row = await db
    .selectFrom('receipt_returns')
    .select((eb) => [
      'id',
      'receipt_id',
      'created_at',
      sql<ReturnedLine[]>`coalesce(${eb.ref('response')}->'result'->'lines', '[]'::jsonb)`.as('lines'),
      receiptAccrualsReversedSql(sql`receipt_returns.response`).as('receipt_accruals'),
    ])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const products = await db
    .selectFrom('receipt_lines')
    .select(['position', 'product_id'])
    .where('merchant_id', '=', merchantId)
    .where('receipt_id', '=', row.receipt_id)
    .execute();
  const productAt = new Map(products.map((p) => [p.position, p.product_id]));
  return {
    id: row.id,
    receiptId: row.receipt_id,
    createdAt: row.created_at.toISOString(),
    lines: row.lines.map((l) => ({
      position: l.index,
      productId: productAt.get(l.index) ?? '',
      quantity: l.quantity,
      amount: l.amount,
      refundMoney: l.refundMoney,
      pointsRestored: l.pointsRestored,
      accrualReversed: l.accrualReversed,
    })),
    receiptAccrualsReversed: Number(row.receipt_accruals),
  };
}

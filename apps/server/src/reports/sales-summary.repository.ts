// The dashboard's figures (G1, G5): receipts, returns and new buyers per day of the merchant's
// calendar. Grouped scans over the (merchant_id, created_at) indexes of receipts and returns and
// the registration index; days without sales come from generate_series so a chart has no gaps.
// A return's figures are read from the calculation booked with it (core's ReturnCalculation).
// Narrowed to cashiers: their sales, the returns they took and the buyers they registered.
import { sql } from 'kysely';
import type { Db } from '#db/database.ts';
import { receiptAccrualsReversedSql } from '#receipts/sales-log.repository.ts';

type DayRow = {
  date: string;
  revenue: string;
  receipts: string;
  returns: string;
  returned_amount: string;
  loyalty_receipts: string;
  discount: string;
  points_accrued: string;
  points_spent: string;
  new_buyers: string;
};

/** One day's figures; money in kopecks, points in hundredths. */
export type SalesDay = {
  date: string;
  revenue: number;
  receipts: number;
  averageCheck: number | null;
  returns: number;
  returnedAmount: number;
  loyaltyReceipts: number;
  discount: number;
  pointsAccrued: number;
  pointsSpent: number;
  newBuyers: number;
};

/**
 * Per-day figures from `from` to `to` (both 'YYYY-MM-DD', merchant's days) and the time zone;
 * with `cashierIds`, only what those cashiers did.
 */
export async function salesByDay(
  db: Db,
  merchantId: string,
  from: string,
  to: string,
  cashierIds?: readonly string[],
): Promise<{ timeZone: string; days: SalesDay[] }> {
  const merchant = await db
    .selectFrom('merchants')
    .select('time_zone')
    .where('id', '=', merchantId)
    .executeTakeFirstOrThrow();
  const tz = merchant.time_zone;
  const byCashier = (column: string) =>
    cashierIds ? sql`AND ${sql.ref(column)} = ANY(${cashierIds}::uuid[])` : sql``;
  // The period's instants: local midnight of `from` to local midnight after `to`.
  const result = await sql<DayRow>`
    WITH days AS (
      SELECT d::date AS date FROM generate_series(${from}::date, ${to}::date, interval '1 day') AS d
    ),
    sales AS (
      SELECT (created_at AT TIME ZONE ${tz})::date AS date,
             sum(amount - discount) AS revenue,
             count(*) AS receipts,
             count(buyer_id) AS loyalty_receipts,
             sum(discount) AS discount,
             sum(accrual) AS points_accrued,
             sum(points_paid) AS points_spent
      FROM receipts
      WHERE merchant_id = ${merchantId}
        AND created_at >= (${from}::date::timestamp AT TIME ZONE ${tz})
        AND created_at < ((${to}::date + 1)::timestamp AT TIME ZONE ${tz})
        ${byCashier('cashier_id')}
      GROUP BY 1
    ),
    returned AS (
      SELECT (created_at AT TIME ZONE ${tz})::date AS date,
             count(*) AS returns,
             sum((response->'result'->'totals'->>'amount')::bigint) AS amount,
             sum((response->'result'->'totals'->>'pointsRestored')::bigint) AS points_restored,
             sum((response->'result'->'totals'->>'accrualReversed')::bigint
                 + ${receiptAccrualsReversedSql(sql`response`)}) AS accrual_reversed
      FROM receipt_returns
      WHERE merchant_id = ${merchantId}
        AND created_at >= (${from}::date::timestamp AT TIME ZONE ${tz})
        AND created_at < ((${to}::date + 1)::timestamp AT TIME ZONE ${tz})
        ${byCashier('cashier_id')}
      GROUP BY 1
    ),
    registrations AS (
      SELECT (registered_at AT TIME ZONE ${tz})::date AS date, count(*) AS new_buyers
      FROM buyers
      WHERE merchant_id = ${merchantId}
        AND registered_at >= (${from}::date::timestamp AT TIME ZONE ${tz})
        AND registered_at < ((${to}::date + 1)::timestamp AT TIME ZONE ${tz})
        ${byCashier('registration_cashier_id')}
      GROUP BY 1
    )
    SELECT to_char(days.date, 'YYYY-MM-DD') AS date,
           coalesce(sales.revenue, 0) - coalesce(returned.amount, 0) AS revenue,
           coalesce(sales.receipts, 0) AS receipts,
           coalesce(returned.returns, 0) AS returns,
           coalesce(returned.amount, 0) AS returned_amount,
           coalesce(sales.loyalty_receipts, 0) AS loyalty_receipts,
           coalesce(sales.discount, 0) AS discount,
           coalesce(sales.points_accrued, 0) - coalesce(returned.accrual_reversed, 0) AS points_accrued,
           coalesce(sales.points_spent, 0) - coalesce(returned.points_restored, 0) AS points_spent,
           coalesce(registrations.new_buyers, 0) AS new_buyers
    FROM days
    LEFT JOIN sales USING (date)
    LEFT JOIN returned USING (date)
    LEFT JOIN registrations USING (date)
    ORDER BY days.date
  `.execute(db);
  return {
    timeZone: tz,
    days: result.rows.map((r) => {
      const revenue = Number(r.revenue);
      const receipts = Number(r.receipts);
      return {
        date: r.date,
        revenue,
        receipts,
        averageCheck: receipts > 0 ? Math.round(revenue / receipts) : null,
        returns: Number(r.returns),
        returnedAmount: Number(r.returned_amount),
        loyaltyReceipts: Number(r.loyalty_receipts),
        discount: Number(r.discount),
        pointsAccrued: Number(r.points_accrued),
        pointsSpent: Number(r.points_spent),
        newBuyers: Number(r.new_buyers),
      };
    }),
  };
}

/** The period's totals from its days. */
export function totalOf(days: readonly SalesDay[]): Omit<SalesDay, 'date'> {
  const sum = (pick: (d: SalesDay) => number) => days.reduce((acc, d) => acc + pick(d), 0);
  const revenue = sum((d) => d.revenue);
  const receipts = sum((d) => d.receipts);
  return {
    revenue,
    receipts,
    averageCheck: receipts > 0 ? Math.round(revenue / receipts) : null,
    returns: sum((d) => d.returns),
    returnedAmount: sum((d) => d.returnedAmount),
    loyaltyReceipts: sum((d) => d.loyaltyReceipts),
    discount: sum((d) => d.discount),
    pointsAccrued: sum((d) => d.pointsAccrued),
    pointsSpent: sum((d) => d.pointsSpent),
    newBuyers: sum((d) => d.newBuyers),
  };
}

// What a buyer has bought for the purpose of card types (C2): the all-time counter the purchase
// flow keeps on the buyer, or net purchases over the programme's tier period, read from receipts
// and their returns. The purchase flow and the nightly recalculation share these functions.
import { sql, type Expression, type RawBuilder, type Transaction } from 'kysely';
import { tierPeriodStart } from '@loyalty/core/tiers/card-type-evaluation';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { preparedRulesFor, storedSettingsFor } from '#programme/rules-snapshot.ts';

type Executor = Db | Transaction<Database>;

/** The settings the tier total depends on: the period (null: all time) and the merchant's zone. */
export type TierSettings = { readonly tierPeriodDays: number | null; readonly timeZone: string };

/** The merchant's tier settings from the cached programme; null when there is no programme. */
export async function tierSettingsFor(db: Executor, merchantId: string): Promise<TierSettings | null> {
  const settings = await storedSettingsFor(db, merchantId);
  const rules = await preparedRulesFor(db, merchantId);
  if (!settings || !rules) return null;
  // Bodies stored before the setting existed lack it: they meant all time.
  return { tierPeriodDays: settings.tierPeriodDays ?? null, timeZone: rules.snapshot.timeZone };
}

/** The first instant of the tier period at `now`, or null for all time. */
export function tierWindowStart(settings: TierSettings, now: Date): Date | null {
  const start = tierPeriodStart(now.getTime(), settings.tierPeriodDays, settings.timeZone);
  return start === null ? null : new Date(start);
}

/**
 * Net purchases of one buyer since `start`, as a scalar subquery: receipts after discounts minus
 * what was returned of those receipts (a return of an older receipt does not touch the window).
 * It reads the return's value from its stored answer (`result.totals.amount`: refund plus points
 * given back, as the all-time counter subtracts it). Uses receipts_buyer_idx.
 */
export function periodTotalSql(
  merchantId: Expression<string> | string,
  buyerId: Expression<string> | string,
  start: Date,
): RawBuilder<number> {
  return sql<number>`(
    SELECT coalesce(sum(r.amount - r.discount - coalesce(rt.amount, 0)), 0)::bigint
    FROM receipts r
    LEFT JOIN LATERAL (
      SELECT sum((rr.response #>> '{result,totals,amount}')::bigint) AS amount
      FROM receipt_returns rr WHERE rr.receipt_id = r.id
    ) rt ON true
    WHERE r.merchant_id = ${merchantId} AND r.buyer_id = ${buyerId} AND r.created_at >= ${start})`;
}

/**
 * The total that decides the buyer's card type at `now`, in kopecks, never negative: the buyer's
 * all-time `purchases_total`, or net purchases within the tier period. It sees what `executor`
 * sees: a receipt or return not yet inserted in the caller's transaction is not in it, so the
 * posting code adds the receipt's `amountAfterDiscount` (or subtracts the return's amount) itself.
 * Zero for an unknown buyer.
 */
export async function tierTotalFor(
  executor: Executor,
  merchantId: string,
  buyerId: string,
  settings: TierSettings,
  now: Date,
): Promise<number> {
  const start = tierWindowStart(settings, now);
  const row = await executor
    .selectFrom('buyers')
    .select(
      start === null
        ? sql<number>`buyers.purchases_total`.as('total')
        : periodTotalSql(sql.ref('buyers.merchant_id'), sql.ref('buyers.id'), start).as('total'),
    )
    .where('buyers.merchant_id', '=', merchantId)
    .where('buyers.id', '=', buyerId)
    .executeTakeFirst();
  return Math.max(0, Number(row?.total ?? 0));
}

/**
 * What a posting passes as `tierTotalBefore`: the buyer's net purchases in the tier period as
 * `executor` sees them, or null when the programme counts all time (the buyer's row then holds
 * the total, and no query is made).
 */
export async function periodTotalOrNull(
  executor: Executor,
  merchantId: string,
  buyerId: string,
  now: Date,
): Promise<number | null> {
  const settings = await tierSettingsFor(executor, merchantId);
  if (settings?.tierPeriodDays == null) return null;
  return tierTotalFor(executor, merchantId, buyerId, settings, now);
}

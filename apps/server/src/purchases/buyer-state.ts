// What the engine needs to know about a buyer, read from the server's tables inside the
// transaction that holds the buyer's lock.
import { sql, type Transaction } from 'kysely';
import type { BuyerState } from '@loyalty/core/engine/calculation-input.schema';
import { availableToSpend, balanceAt } from '@loyalty/core/lots/lot-balance';
import { points } from '@loyalty/core/money/money';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';

type Executor = Db | Transaction<Database>;

/** The buyer's live lots and the points held for other sales, in one round trip. */
async function lotsAndReserved(db: Executor, buyerId: string, now: Date, exceptHoldId?: string) {
  const except = exceptHoldId ? sql`AND id <> ${exceptHoldId}` : sql``;
  const rows = await sql<{
    id: string | null;
    remaining: number;
    activates_at: Date | null;
    expires_at: Date | null;
    held: number;
  }>`
    SELECT id, remaining, activates_at, expires_at, 0::bigint AS held
      FROM point_lots WHERE buyer_id = ${buyerId} AND remaining > 0
    UNION ALL
    SELECT NULL, 0, NULL, NULL, coalesce(sum(points), 0)::bigint
      FROM point_holds
      WHERE buyer_id = ${buyerId} AND status = 'active' AND expires_at > ${now} ${except}`.execute(db);
  let reserved = 0;
  const lots: BuyerState['lots'] = [];
  for (const row of rows.rows) {
    if (row.id === null || row.activates_at === null) reserved += Number(row.held);
    else
      lots.push({
        id: row.id,
        remaining: points(Number(row.remaining)),
        activatesAt: row.activates_at.getTime(),
        expiresAt: row.expires_at?.getTime() ?? null,
      });
  }
  return { lots, reserved: points(reserved) };
}

/** The buyers columns the engine's view of a buyer needs. */
export const buyerStateColumns = [
  'id',
  'balance',
  'card_type_id',
  'debt',
  'purchases_count',
  'purchases_total',
  'registered_at',
  'referrer_id',
  'favourite_category_ids',
  'tags',
  'version',
] as const;

/** A buyers row with the columns of buyerStateColumns. */
export type BuyerStateRow = {
  id: string;
  balance: number;
  card_type_id: string | null;
  debt: number;
  purchases_count: number;
  purchases_total: number;
  registered_at: Date;
  referrer_id: string | null;
  favourite_category_ids: string[];
  tags: string[];
  /** Bumped by every locking or posting write: an optimistic posting checks it did not move. */
  version: number;
};

/** The engine's view of the buyer (C2 card type, lots, debt, holds, referrers up to 5 levels). */
export async function loadBuyerState(
  db: Executor,
  merchantId: string,
  buyerId: string,
  defaultCardTypeId: string,
  now: Date,
  exceptHoldId?: string,
): Promise<BuyerState | null> {
  const buyer = await db
    .selectFrom('buyers')
    .select(buyerStateColumns)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', buyerId)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  if (!buyer) return null;
  return buyerStateOf(db, merchantId, buyer, defaultCardTypeId, now, exceptHoldId);
}

/** The engine's view of a buyer whose row the caller already read (and usually locked). */
export async function buyerStateOf(
  db: Executor,
  merchantId: string,
  buyer: BuyerStateRow,
  defaultCardTypeId: string,
  now: Date,
  exceptHoldId?: string,
): Promise<BuyerState> {
  const referrers: BuyerState['referrers'] = [];
  let next = buyer.referrer_id;
  for (let level = 1; next && level <= 5; level++) {
    const referrer = await db
      .selectFrom('buyers')
      .select(['id', 'card_type_id', 'referrer_id'])
      .where('merchant_id', '=', merchantId)
      .where('id', '=', next)
      .where('erased_at', 'is', null)
      .executeTakeFirst();
    if (!referrer || referrers.some((r) => r.buyerId === referrer.id) || referrer.id === buyer.id) break;
    referrers.push({ buyerId: referrer.id, level, cardTypeId: referrer.card_type_id ?? defaultCardTypeId });
    next = referrer.referrer_id;
  }
  return {
    id: buyer.id,
    cardTypeId: buyer.card_type_id ?? defaultCardTypeId,
    // Segments arrive with the segment builder (D3); tags already serve promotions aimed at groups.
    segmentIds: buyer.tags,
    favouriteCategoryIds: buyer.favourite_category_ids,
    ...(await lotsAndReserved(db, buyer.id, now, exceptHoldId)),
    debt: points(buyer.debt),
    purchasesCount: buyer.purchases_count,
    registeredAt: buyer.registered_at.getTime(),
    referrers,
  };
}

/** The buyer's points as the API reports them. */
export function pointsView(state: BuyerState, balance: number, now: Date) {
  const lots = balanceAt(state.lots, now.getTime());
  return {
    buyerId: state.id,
    balance,
    active: lots.active,
    pending: lots.pending,
    debt: state.debt,
    reserved: state.reserved,
    available: availableToSpend(state.lots, now.getTime(), { debt: state.debt, reserved: state.reserved }),
  };
}

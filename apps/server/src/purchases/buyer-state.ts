// What the engine needs to know about a buyer, read from the server's tables inside the
// transaction that holds the buyer's lock.
import type { Transaction } from 'kysely';
import type { BuyerState } from '@loyalty/core/engine/calculation-input.schema';
import { availableToSpend, balanceAt } from '@loyalty/core/lots/lot-balance';
import { points } from '@loyalty/core/money/money';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { loadLots } from '#ledger/ledger.service.ts';

type Executor = Db | Transaction<Database>;

/** Points held by live holds, which the next sale must not spend (except the hold it consumes). */
export async function reservedPoints(
  db: Executor,
  buyerId: string,
  now: Date,
  exceptHoldId?: string,
): Promise<number> {
  let query = db
    .selectFrom('point_holds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), eb.val(0)).as('n'))
    .where('buyer_id', '=', buyerId)
    .where('status', '=', 'active')
    .where('expires_at', '>', now);
  if (exceptHoldId) query = query.where('id', '<>', exceptHoldId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

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
    .select([
      'id',
      'card_type_id',
      'debt',
      'purchases_count',
      'registered_at',
      'referrer_id',
      'favourite_category_ids',
      'tags',
    ])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', buyerId)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  if (!buyer) return null;
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
    lots: await loadLots(db, buyer.id),
    debt: points(buyer.debt),
    reserved: points(await reservedPoints(db, buyer.id, now, exceptHoldId)),
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

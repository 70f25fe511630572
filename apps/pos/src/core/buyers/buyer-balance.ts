// A cached buyer as the engine and the cashier see them: the server's snapshot, minus this
// terminal's spends the snapshot does not include yet; points accrued here are shown as pending
// and never spent until the server confirms them (SYNC.md "Balances at the till").
import type { BuyerState } from '@loyalty/core/engine/calculation-input.schema';
import { availableToSpend, balanceAt } from '@loyalty/core/lots/lot-balance';
import { points } from '@loyalty/core/money/money';
import type { PreparedRules } from '@loyalty/core/rules/prepared-rules';
import type { Sqlite } from '#core/store/database.ts';
import { unconfirmedMovements } from '#core/store/point-movements.repository.ts';
import { getBuyer, type CachedBuyer } from './buyers.repository.ts';

/** The buyer's points at the till; every figure in hundredths. */
export type BuyerPoints = {
  /** The server's ledger balance in the snapshot. */
  readonly snapshotBalance: number;
  readonly active: number;
  /** Lots not active yet (activation delay). */
  readonly pending: number;
  readonly debt: number;
  /** Spent here (or taken back by returns here) and not in the snapshot yet. */
  readonly unconfirmedSpent: number;
  /** Accrued or restored here and not confirmed yet: shown, not spendable. */
  readonly unconfirmedAccrued: number;
  /** What may be spent now, before any offline limit. */
  readonly available: number;
  readonly snapshotAt: number;
  readonly appliedSeq: number;
};

/** The buyer's points at `now` (corrected time). */
export function buyerPoints(db: Sqlite, buyer: CachedBuyer, now: number): BuyerPoints {
  const local = unconfirmedMovements(db, buyer.item.id, buyer.appliedSeq);
  const lots = buyer.item.lots.map((lot) => ({ ...lot, remaining: points(lot.remaining) }));
  const balance = balanceAt(lots, now);
  const unconfirmedSpent = local.spend + local.reversal;
  return {
    snapshotBalance: buyer.item.balance,
    active: balance.active,
    pending: balance.pending,
    debt: buyer.item.debt,
    unconfirmedSpent,
    unconfirmedAccrued: local.accrual + local.restore,
    available: availableToSpend(lots, now, {
      debt: points(buyer.item.debt),
      reserved: points(unconfirmedSpent),
    }),
    snapshotAt: buyer.snapshotAt,
    appliedSeq: buyer.appliedSeq,
  };
}

/** Receipts made here for the buyer that their snapshot does not count yet. */
function unconfirmedPurchases(db: Sqlite, buyerId: string, appliedSeq: number): number {
  return (
    db
      .prepare<[string, number], { n: number }>(
        'SELECT count(*) AS n FROM receipts WHERE buyer_id = ? AND seq > ?',
      )
      .get(buyerId, appliedSeq)?.n ?? 0
  );
}

/**
 * The engine's view of the buyer. `extraReserved` holds back points beyond the local spends (the
 * offline limits), so the engine's own maximum already respects them.
 */
export function engineBuyerState(
  db: Sqlite,
  rules: PreparedRules,
  buyer: CachedBuyer,
  view: BuyerPoints,
  extraReserved: number,
): BuyerState {
  const defaultCardTypeId = rules.snapshot.programme.defaultCardTypeId;
  const referrers: BuyerState['referrers'] = [];
  const seen = new Set([buyer.item.id]);
  let next = buyer.item.referrerId;
  // The chain is read from the cache; a referrer outside it ends the chain (the server books
  // rewards from its own data anyway, the till only shows them).
  for (let level = 1; next && level <= 5 && !seen.has(next); level++) {
    const referrer = getBuyer(db, next);
    if (!referrer) break;
    seen.add(next);
    referrers.push({ buyerId: next, level, cardTypeId: referrer.item.cardTypeId ?? defaultCardTypeId });
    next = referrer.item.referrerId;
  }
  return {
    id: buyer.item.id,
    cardTypeId: buyer.item.cardTypeId ?? defaultCardTypeId,
    // As on the server (apps/server purchases/buyer-state.ts): tags serve as segments for now.
    segmentIds: buyer.item.tags,
    favouriteCategoryIds: buyer.item.favouriteCategoryIds,
    lots: buyer.item.lots.map((lot) => ({ ...lot, remaining: points(lot.remaining) })),
    debt: points(buyer.item.debt),
    reserved: points(view.unconfirmedSpent + extraReserved),
    purchasesCount: buyer.item.purchasesCount + unconfirmedPurchases(db, buyer.item.id, buyer.appliedSeq),
    registeredAt: buyer.item.registeredAt,
    referrers,
  };
}

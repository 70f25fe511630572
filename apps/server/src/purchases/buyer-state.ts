// What the engine needs to know about a buyer, and the buyer's points as the API reports them.
import type { Transaction } from 'kysely';
import type { BuyerState } from '@loyalty/core/engine/calculation-input.schema';
import { availableToSpend, balanceAt } from '@loyalty/core/lots/lot-balance';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { readPostingContext } from './posting-context.ts';

type Executor = Db | Transaction<Database>;

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

/**
 * The engine's view of the buyer (C2 card type, lots, debt, holds), read like a receipt posting
 * reads it. Referrers are left out: only pricing needs them, and pricing reads them itself.
 */
export async function loadBuyerState(
  db: Executor,
  merchantId: string,
  buyerId: string,
  defaultCardTypeId: string,
  now: Date,
  exceptHoldId?: string,
): Promise<BuyerState | null> {
  const context = await readPostingContext(
    db,
    merchantId,
    { buyerId },
    {
      now,
      holdId: exceptHoldId ?? null,
      productKeys: [],
      defaultCardTypeId,
      referralMode: 'invite_only',
    },
  );
  return context.buyer ? { ...context.buyer, referrers: [] } : null;
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

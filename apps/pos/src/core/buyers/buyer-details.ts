// The buyer panel (A4): who the buyer is, their card type, points active and pending, purchases
// count and sum, average check, last purchase and recent history. The server's figures come with
// the cached snapshot; this till's receipts the snapshot does not include yet (seq > applied_seq)
// are added, so the panel is right offline too. Online, the server's latest receipts (any till)
// are fetched and merged with this till's by receipt id.
import { ok } from '@loyalty/core/shared/result';
import { maskPhone } from '@loyalty/core/phones/phone-number';
import type { RecentReceipt } from '@loyalty/protocol/sync/pull.schema';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { getIdentity } from '#core/store/identity.repository.ts';
import { fail, TerminalError, type HandlerResult } from '#core/shared/terminal-error.ts';
import { present, type IdentifiedBuyer } from './buyer-service.ts';
import { withLocalChanges } from './buyer-local-changes.ts';
import { getBuyer } from './buyers.repository.ts';

const HISTORY = 10;

/** One receipt in the panel's history. */
export type HistoryEntry = RecentReceipt & { readonly source: 'till' | 'server' };

/** What `buyer.details` answers. */
export type BuyerDetails = {
  readonly buyer: IdentifiedBuyer;
  readonly profile: {
    readonly firstName: string | null;
    readonly lastName: string | null;
    readonly birthDate: string | null;
    readonly gender: 'male' | 'female' | null;
    readonly email: string | null;
    readonly phone: string | null;
    readonly registeredAt: number;
  };
  readonly stats: {
    readonly purchasesCount: number;
    /** Kopecks after discounts. */
    readonly purchasesTotal: number;
    /** Kopecks; null before the first purchase. */
    readonly averageCheck: number | null;
    readonly lastPurchaseAt: number | null;
  };
  readonly history: readonly HistoryEntry[];
  /** False when the server's history could not be fetched (offline): only this till's receipts. */
  readonly historyFromServer: boolean;
};

type ReceiptRow = {
  id: string;
  seq: number;
  number: string;
  store_id: string;
  created_at: number;
  amount: number;
  discount: number;
  paid_money: number;
  points_paid: number;
  accrual: number;
};

/** `buyer.details`. */
export async function buyerDetails(
  ctx: TerminalContext,
  buyerId: string,
): Promise<HandlerResult<BuyerDetails>> {
  if (!getBuyer(ctx.db, buyerId))
    return fail(TerminalError.buyerNotFound, 'Покупатель не найден на терминале: определите его заново.');
  let serverReceipts: RecentReceipt[] = [];
  let historyFromServer = false;
  if (getIdentity(ctx.db).status === 'paired' && ctx.sync.isOnline()) {
    const fetched = await ctx.sync.lookupBuyerHistory(buyerId);
    if (fetched.ok && fetched.value) {
      serverReceipts = fetched.value.recentReceipts;
      historyFromServer = true;
    }
  }
  const cached = getBuyer(ctx.db, buyerId);
  if (!cached) return fail(TerminalError.buyerNotFound, 'Покупатель удалён: определите его заново.');
  const buyer = withLocalChanges(ctx.db, cached);
  const rows = ctx.db
    .prepare<[string], ReceiptRow>(
      `SELECT id, seq, number, store_id, created_at, amount, discount, paid_money, points_paid, accrual
         FROM receipts WHERE buyer_id = ? ORDER BY seq DESC`,
    )
    .all(buyer.item.id);
  // This till's receipts the snapshot does not count yet.
  const unsynced = rows.filter((r) => r.seq > buyer.appliedSeq);
  const count = buyer.item.purchasesCount + unsynced.length;
  const total = buyer.item.purchasesTotal + unsynced.reduce((sum, r) => sum + r.amount - r.discount, 0);
  const lastLocal = unsynced[0]?.created_at ?? null;
  const lastPurchaseAt =
    lastLocal === null ? buyer.item.lastPurchaseAt : Math.max(lastLocal, buyer.item.lastPurchaseAt ?? 0);

  const byId = new Map<string, HistoryEntry>();
  for (const r of serverReceipts) byId.set(r.receiptId, { ...r, source: 'server' });
  for (const r of rows.slice(0, HISTORY))
    byId.set(r.id, {
      receiptId: r.id,
      number: r.number,
      storeId: r.store_id,
      createdAt: r.created_at,
      paidMoney: r.paid_money,
      pointsPaid: r.points_paid,
      accrual: r.accrual,
      source: 'till',
    });
  const history = [...byId.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, HISTORY);

  return ok({
    buyer: present(ctx, cached, 'manual'),
    profile: {
      firstName: buyer.item.firstName,
      lastName: buyer.item.lastName,
      birthDate: buyer.item.birthDate,
      gender: buyer.item.gender ?? null,
      email: buyer.item.email ?? null,
      phone: maskPhone(buyer.item.phone),
      registeredAt: buyer.item.registeredAt,
    },
    stats: {
      purchasesCount: count,
      purchasesTotal: total,
      averageCheck: count > 0 ? Math.round(total / count) : null,
      lastPurchaseAt,
    },
    history,
    historyFromServer,
  });
}

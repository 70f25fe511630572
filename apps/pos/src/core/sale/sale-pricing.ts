// Prices a receipt at the till: the engine of packages/core on the cached rules and the cached
// buyer, exactly as the server would price it, with this terminal's unconfirmed spends held back
// and, offline, the merchant's redemption limits applied (SYNC.md "Balances at the till").
import { calculate } from '@loyalty/core/engine/calculate';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { formatMinor } from '@loyalty/core/money/money';
import { err, ok, type Problem, type Result } from '@loyalty/core/shared/result';
import { startOfLocalDay } from '@loyalty/core/time/zoned-time';
import { buyerPoints, engineBuyerState, type BuyerPoints } from '#core/buyers/buyer-balance.ts';
import { getBuyer, type CachedBuyer } from '#core/buyers/buyers.repository.ts';
import { getSettings } from '#core/store/cache-settings.repository.ts';
import { getCursor } from '#core/store/sync-cursors.repository.ts';
import { getIdentity } from '#core/store/identity.repository.ts';
import { offlineSpentSince, unacknowledgedOfflineSpends } from '#core/store/point-movements.repository.ts';
import { fail, notPaired, TerminalError } from '#core/shared/terminal-error.ts';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { presentedCouponsAtTill } from './coupon-cache.ts';
import { offlineAllowance, type OfflineAllowance } from './offline-limits.ts';
import { promotionNamesIn } from './promotion-names.ts';
import { preparedRules } from './rules-cache.ts';
import { resolveLines, type PurchaseLine } from './sale-lines.ts';
import type { SaleArgs } from './sale.schema.ts';

/** A priced receipt with everything a commit needs. */
export type PricedSale = {
  readonly calculation: Calculation;
  readonly requestLines: readonly PurchaseLine[];
  readonly lineNames: readonly string[];
  readonly buyer: CachedBuyer | null;
  readonly points: BuyerPoints | null;
  /** True when priced without the server: the offline limits applied. */
  readonly offline: boolean;
  readonly offlineLimit: OfflineAllowance | null;
  readonly storeId: string;
  readonly now: number;
};

/** When the buyer's snapshot is known good: its own time, or the last full pull of the stream. */
function snapshotFreshAt(ctx: TerminalContext, buyer: CachedBuyer): number {
  const caughtUp = buyer.source === 'pull' ? (getCursor(ctx.db, 'buyers')?.caughtUpAt ?? 0) : 0;
  return Math.max(buyer.snapshotAt, caughtUp);
}

/** The offline allowance for this buyer now. */
export function offlineAllowanceFor(ctx: TerminalContext, buyer: CachedBuyer, now: number): OfflineAllowance {
  const settings = getSettings(ctx.db);
  const identity = getIdentity(ctx.db);
  const dayStart = settings ? startOfLocalDay(now, settings.merchant.timeZone) : now;
  return offlineAllowance({
    limits: settings?.offlineLimits ?? null,
    deviceNow: ctx.clock.deviceNow(),
    lastSyncAt: identity.lastSyncAt,
    clockOffsetMs: identity.clockOffsetMs,
    now,
    snapshotAt: snapshotFreshAt(ctx, buyer),
    buyerSpentToday: offlineSpentSince(ctx.db, buyer.item.id, dayStart),
    terminalUnacknowledged: unacknowledgedOfflineSpends(ctx.db),
  });
}

/**
 * Online, fetches the counters of the sale's coupon codes first, so the engine checks them as the
 * server would; a failed lookup leaves the kept counters (or an unknown code) in place.
 */
export async function refreshCoupons(ctx: TerminalContext, args: SaleArgs): Promise<void> {
  if (args.coupons.length === 0 || !ctx.sync.isOnline()) return;
  await ctx.sync.lookupCoupons(args.coupons, args.buyerId);
}

/** Prices the receipt; `offline` decides whether the offline limits bind. */
export function priceSale(
  ctx: TerminalContext,
  args: SaleArgs,
  offline: boolean,
): Result<PricedSale, Problem> {
  const identity = getIdentity(ctx.db);
  if (!identity.storeId) return notPaired();
  const rules = preparedRules(ctx.db);
  if (!rules.ok) return rules;
  const lines = resolveLines(ctx.db, args.lines);
  if (!lines.ok) return lines;
  const now = ctx.clock.now();

  let buyer: CachedBuyer | null = null;
  let view: BuyerPoints | null = null;
  let limit: OfflineAllowance | null = null;
  let extraReserved = 0;
  if (args.buyerId !== null) {
    buyer = getBuyer(ctx.db, args.buyerId);
    if (!buyer)
      return fail(
        TerminalError.buyerNotFound,
        'Покупатель не найден на терминале: определите его заново по телефону или карте.',
        { buyerId: args.buyerId },
      );
    view = buyerPoints(ctx.db, buyer, now);
    if (offline) {
      limit = offlineAllowanceFor(ctx, buyer, now);
      // Beyond the balance itself the engine answers; within it but beyond the limits, we do.
      const asked = args.pointsToPay;
      if (typeof asked === 'number' && asked <= view.available && asked > limit.maxPoints)
        return fail(
          TerminalError.offlineRedemptionRefused,
          `${limit.reason?.message ?? ''} Можно списать не больше ${formatMinor(limit.maxPoints)}.`.trim(),
          { maxPoints: limit.maxPoints, reason: limit.reason?.code ?? null },
        );
      extraReserved = Math.max(0, view.available - limit.maxPoints);
    }
  }

  const result = calculate(rules.value, {
    receipt: {
      storeId: identity.storeId,
      lines: lines.value.engine,
      coupons: presentedCouponsAtTill(ctx.db, args.coupons, buyer?.item.id ?? null),
      pointsToPay: args.pointsToPay,
    },
    buyer: buyer && view ? engineBuyerState(ctx.db, rules.value, buyer, view, extraReserved) : null,
    now,
  });
  if (!result.ok) return err(result.error);
  return ok({
    calculation: result.value,
    requestLines: lines.value.request,
    lineNames: lines.value.names,
    buyer,
    points: view,
    offline,
    offlineLimit: limit,
    storeId: identity.storeId,
    now,
  });
}

/** What `sale.calculate` answers (and `sale.scan` carries): the calculation and what the screen shows with it. */
export type CalculateAnswer = {
  readonly calculation: Calculation;
  readonly lineNames: readonly string[];
  readonly points: BuyerPoints | null;
  readonly offline: boolean;
  readonly offlineLimit: OfflineAllowance | null;
  /** Names of the promotions the calculation mentions, for the reasons shown per line. */
  readonly promotionNames: Record<string, string>;
};

/** Prices a receipt as the till's screen and the local API see it; online or not decides the limits. */
export async function calculateAtTill(
  ctx: TerminalContext,
  args: SaleArgs,
): Promise<Result<CalculateAnswer, Problem>> {
  await refreshCoupons(ctx, args);
  const priced = priceSale(ctx, args, !ctx.sync.isOnline());
  if (!priced.ok) return priced;
  const p = priced.value;
  return ok({
    calculation: p.calculation,
    lineNames: p.lineNames,
    points: p.points,
    offline: p.offline,
    offlineLimit: p.offlineLimit,
    promotionNames: promotionNamesIn(ctx.db, p.calculation),
  });
}

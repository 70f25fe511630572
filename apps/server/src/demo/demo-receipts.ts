// A year of receipts, priced by the real engine and posted the way the purchase flow posts them.
// The schedule says who buys when and where; the replay then goes through it in time order:
// the buyer's due lots expire, the engine prices the basket against the lots as they stand at
// that moment, some buyers pay part with points, and the points book posts the redemption and
// the accruals. Receipts and lines stream to PostgreSQL while the replay goes on.
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import { calculate } from '@loyalty/core/engine/calculate';
import type { PresentedCoupon } from '@loyalty/core/engine/calculation-input.schema';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import type { PreparedRules } from '@loyalty/core/rules/prepared-rules';
import type { Database } from '#db/database-schema.ts';
import type { BulkWriter } from './bulk-insert.ts';
import { basketMaker, type BasketLine } from './demo-basket.ts';
import type { DemoBuyer } from './demo-buyers.ts';
import type { DemoProduct } from './demo-catalogue.ts';
import { CouponWallet } from './demo-coupons.ts';
import { localDayNumber, localHour } from './local-day.ts';
import { PointsBook, type BuyerAccount } from './demo-points-book.ts';
import type { DemoProgramme } from './demo-programme.ts';
import { scheduleReceipts } from './receipt-schedule.ts';
import type { SeededRandom } from './seeded-random.ts';

/** Receipts per statement: their calculations make them the widest rows. */
const RECEIPT_BATCH = 2000;
/** Points pay for part of a receipt only when at least this much (50 points) is allowed. */
const POINTS_WORTH_PAYING = 50_00;

/** A store as the replay sees it, with the cashiers who work its tills. */
export type ReplayStore = {
  id: string;
  traffic: number;
  basketLines: number;
  receiptPrefix: string;
  cashierIds: readonly string[];
};

/** The hour the evening shift takes over the till. */
const EVENING_SHIFT = 15;

/**
 * The cashier at the till at `at`: a store's cashiers take the morning and evening shifts in turn,
 * day after day. Derived from the time, not drawn, so the seeded stream (and with it the rest of
 * the demo) stays what it was.
 */
function cashierOnShift(store: ReplayStore, at: number): string | null {
  const n = store.cashierIds.length;
  if (n === 0) return null;
  const shift = localDayNumber(at) * 2 + (localHour(at) >= EVENING_SHIFT ? 1 : 0);
  return store.cashierIds[shift % n] ?? null;
}

/** Everything the replay reads. */
export type ReceiptReplayInput = {
  writer: BulkWriter;
  random: SeededRandom;
  merchantId: string;
  now: number;
  receipts: number;
  rules: PreparedRules;
  stores: readonly ReplayStore[];
  products: readonly DemoProduct[];
  snackProductIds: readonly string[];
  couponCategoryIds: readonly string[];
  buyers: readonly DemoBuyer[];
  programme: DemoProgramme;
  logger: Logger;
};

/** Figures for the log. */
export type ReceiptReplaySummary = {
  receipts: number;
  identified: number;
  paidWithPoints: number;
  lots: number;
  ledgerEntries: number;
  expiredLots: number;
  upgrades: number;
  couponUses: number;
};

/** Schedules, prices and writes the receipts and everything they moved. */
export async function replayReceipts(
  trx: Transaction<Database>,
  input: ReceiptReplayInput,
): Promise<ReceiptReplaySummary> {
  const { writer, random, merchantId, now, rules, stores, logger } = input;
  const started = Date.now();
  const schedule = scheduleReceipts(random, {
    count: input.receipts,
    now,
    buyers: input.buyers,
    storeTraffic: stores.map((s) => s.traffic),
  });
  const basket = basketMaker(random, input.products, input.snackProductIds);
  const book = new PointsBook(random, rules, input.buyers, input.programme.standardId);
  const wallet = new CouponWallet(random, input.programme, input.couponCategoryIds);
  const receipts = writer.table(
    'receipts',
    [
      { name: 'id', type: 'uuid' },
      { name: 'merchant_id', type: 'uuid' },
      { name: 'idempotency_key', type: 'text' },
      { name: 'request_hash', type: 'bytea' },
      { name: 'number', type: 'text' },
      { name: 'store_id', type: 'uuid' },
      { name: 'buyer_id', type: 'uuid' },
      { name: 'source', type: 'text' },
      { name: 'amount', type: 'bigint' },
      { name: 'discount', type: 'bigint' },
      { name: 'points_paid', type: 'bigint' },
      { name: 'paid_money', type: 'bigint' },
      { name: 'accrual', type: 'bigint' },
      { name: 'calculation', type: 'jsonb' },
      // What a retried confirm answers besides the calculation, stored as purchase.service
      // stores it: the buyer's points after the receipt.
      { name: 'buyer_view', type: 'jsonb', inputOnly: true },
      { name: 'response', type: 'jsonb', computed: `jsonb_build_object('buyer', u.buyer_view)` },
      { name: 'cashier_id', type: 'uuid' },
      { name: 'created_at', type: 'timestamptz' },
    ],
    RECEIPT_BATCH,
  );
  const lines = writer.table(
    'receipt_lines',
    [
      { name: 'receipt_id', type: 'uuid' },
      { name: 'merchant_id', type: 'uuid' },
      { name: 'position', type: 'int' },
      { name: 'product_id', type: 'text' },
      { name: 'category_id', type: 'text' },
      { name: 'quantity', type: 'bigint' },
      { name: 'price', type: 'bigint' },
      { name: 'amount', type: 'bigint' },
      { name: 'discount', type: 'bigint' },
      { name: 'points_paid', type: 'bigint' },
      { name: 'paid_money', type: 'bigint' },
      { name: 'accrual', type: 'bigint' },
    ],
    // Never full on its own: lines are queued right behind their receipts.
    Number.MAX_SAFE_INTEGER,
  );

  const price = (
    storeId: string,
    basketLines: readonly BasketLine[],
    coupons: PresentedCoupon[],
    pointsToPay: number,
    account: BuyerAccount | null,
    at: number,
  ): Calculation => {
    const result = calculate(rules, {
      receipt: {
        storeId,
        lines: basketLines.map((l) => ({ ...l, minPrice: 0, noAccrual: false, noPointsPayment: false })),
        ...(coupons.length > 0 ? { coupons } : {}),
        pointsToPay,
      },
      buyer: account ? book.engineBuyer(account) : null,
      now: at,
    });
    // The generator built this input; a refusal is a bug in the generator, not bad luck.
    if (!result.ok) throw new Error(`demo receipt refused by the engine: ${JSON.stringify(result.error)}`);
    return result.value;
  };

  const sequences = stores.map(() => 0);
  let identified = 0;
  let paidWithPoints = 0;
  for (const [done, i] of schedule.order.entries()) {
    const at = schedule.times[i] ?? now;
    const account = book.accounts[schedule.who[i] ?? -1] ?? null;
    const storeIndex = schedule.where[i] ?? 0;
    const store = stores[storeIndex];
    if (!store) continue;
    if (account) book.expireDue(account, at);
    const basketLines = basket(store.basketLines);
    const coupons = account ? wallet.present(account.buyer.id, basketLines) : [];
    let calculation = price(store.id, basketLines, coupons, 0, account, at);
    let pointsToPay = 0;
    const maximum = calculation.pointsPayment.maximum;
    if (account && maximum >= POINTS_WORTH_PAYING && random.chance(0.3)) {
      // Some pay all they may, others a round sum of points.
      pointsToPay = random.chance(0.6)
        ? maximum
        : Math.max(100, Math.floor((maximum * (0.3 + 0.6 * random.next())) / 100) * 100);
      calculation = price(store.id, basketLines, coupons, pointsToPay, account, at);
    }

    const receiptId = random.uuidAt(at);
    sequences[storeIndex] = (sequences[storeIndex] ?? 0) + 1;
    const number = `${store.receiptPrefix}-${String(sequences[storeIndex]).padStart(7, '0')}`;
    const idempotencyKey = `demo:${receiptId}`;
    // The confirm request a till would have sent; its hash tells a retry from a different receipt.
    const request = {
      storeId: store.id,
      buyer: account ? { buyerId: account.buyer.id } : null,
      lines: basketLines.map((l) => ({ productId: l.productId, quantity: l.quantity, price: l.price })),
      coupons: coupons.map((c) => c.code),
      pointsToPay,
      idempotencyKey,
      number,
    };
    let view = 'null';
    if (account) {
      identified++;
      if (calculation.totals.pointsPaid > 0) paidWithPoints++;
      book.post(account, { id: receiptId, storeId: store.id, at }, calculation);
      wallet.redeem(calculation, account.buyer.id, receiptId, at);
      view = book.viewJson(account, at);
    }
    const totals = calculation.totals;
    receipts.add(
      receiptId,
      merchantId,
      idempotencyKey,
      createHash('sha256').update(JSON.stringify(request)).digest(),
      number,
      store.id,
      account?.buyer.id ?? null,
      'till',
      totals.amount,
      totals.discount,
      totals.pointsPaid,
      totals.paidMoney,
      totals.accrual,
      JSON.stringify(calculation),
      view,
      cashierOnShift(store, at),
      new Date(at).toISOString(),
    );
    for (const l of calculation.lines)
      lines.add(
        receiptId,
        merchantId,
        l.index,
        l.productId,
        l.categoryId,
        l.quantity,
        l.price,
        l.amount,
        l.discount,
        l.pointsPaid,
        l.paidMoney,
        l.accrual,
      );
    // Lines go right behind their receipts: they reference them.
    if (receipts.length >= RECEIPT_BATCH) {
      await receipts.queue();
      await lines.queue();
    }
    if ((done + 1) % 20_000 === 0)
      logger.info({ receipts: done + 1, ms: Date.now() - started }, 'demo receipts priced');
  }
  await receipts.flush();
  await lines.flush();
  await book.write(trx, writer, merchantId, now);
  await wallet.write(writer, merchantId);
  return {
    receipts: input.receipts,
    identified,
    paidWithPoints,
    ...book.summary(),
    couponUses: wallet.count,
  };
}

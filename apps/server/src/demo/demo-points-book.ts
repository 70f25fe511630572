// The buyers' side of the receipt replay: each buyer's lots, ledger entries, purchase counters
// and card type, moved exactly as the purchase flow and the expiry job move them, with the core
// lot functions. Written at the end in bulk, it satisfies the ledger invariant for every buyer:
// balance = sum(ledger entries) = sum(lot remainders) - debt.
import { sql, type Transaction } from 'kysely';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { balanceAt } from '@loyalty/core/lots/lot-balance';
import { expireLots } from '@loyalty/core/lots/lot-expiry';
import { planRedemption } from '@loyalty/core/lots/lot-redemption';
import { kopecks, points, type Points } from '@loyalty/core/money/money';
import type { PreparedRules } from '@loyalty/core/rules/prepared-rules';
import { evaluateCardType } from '@loyalty/core/tiers/card-type-evaluation';
import type { Database } from '#db/database-schema.ts';
import type { BulkWriter } from './bulk-insert.ts';
import type { DemoBuyer } from './demo-buyers.ts';
import type { SeededRandom } from './seeded-random.ts';

const iso = (instant: number) => new Date(instant).toISOString();

type Lot = {
  id: string;
  remaining: Points;
  activatesAt: number;
  expiresAt: number | null;
  buyerId: string;
  source: string;
  receiptId: string | null;
  promotionId: string | null;
  initial: number;
  createdAt: number;
};

type Entry = {
  buyerId: string;
  operationId: string;
  kind: string;
  points: number;
  lotId: string | null;
  receiptId: string | null;
  reason: string | null;
  actorType: string;
  at: number;
};

/** One buyer as the replay goes. */
export type BuyerAccount = {
  buyer: DemoBuyer;
  cardTypeId: string;
  count: number;
  /** Kopecks after discounts, as purchases_total counts them. */
  total: number;
  lastAt: number | null;
  lastStoreId: string | null;
  balance: number;
  /** Lots with points left; spent and expired ones drop out. */
  live: Lot[];
  /** No live lot expires before this (a lower bound: a spent lot may have set it). */
  nextExpiry: number;
};

/** Lots, entries and counters of every buyer. */
export class PointsBook {
  readonly accounts: BuyerAccount[];
  private readonly lots: Lot[] = [];
  private readonly entries: Entry[] = [];
  private readonly consumptions: Array<{ operationId: string; lotId: string; points: number }> = [];
  private readonly upgrades: Array<{ buyerId: string; from: string; to: string; at: number }> = [];
  private expired = 0;

  constructor(
    private readonly random: SeededRandom,
    private readonly rules: PreparedRules,
    buyers: readonly DemoBuyer[],
    defaultCardTypeId: string,
  ) {
    this.accounts = buyers.map((buyer) => ({
      buyer,
      cardTypeId: defaultCardTypeId,
      count: 0,
      total: 0,
      lastAt: null,
      lastStoreId: null,
      balance: 0,
      live: [],
      nextExpiry: Number.POSITIVE_INFINITY,
    }));
  }

  /** Burns what is left in the account's lots whose expiry has come by `at`, as the job would. */
  expireDue(account: BuyerAccount, at: number): void {
    if (at < account.nextExpiry) return;
    for (const movement of expireLots(account.live, at)) {
      const lot = account.live.find((l) => l.id === movement.lotId);
      if (!lot) continue;
      // The job runs every minute: its entry is dated when the lot ran out.
      const when = lot.expiresAt ?? at;
      this.entries.push({
        buyerId: account.buyer.id,
        operationId: this.random.uuidAt(when),
        kind: 'expiry',
        points: 0 - movement.points,
        lotId: lot.id,
        receiptId: null,
        reason: 'Сгорание по сроку',
        actorType: 'system',
        at: when,
      });
      lot.remaining = points(0);
      account.balance -= movement.points;
      this.expired++;
    }
    account.live = account.live.filter((l) => l.remaining > 0);
    account.nextExpiry = account.live.reduce(
      (min, l) => Math.min(min, l.expiresAt ?? min),
      Number.POSITIVE_INFINITY,
    );
  }

  /** The engine's view of the buyer (the fast path reads a lot's id, remaining and times). */
  engineBuyer(account: BuyerAccount) {
    return {
      id: account.buyer.id,
      cardTypeId: account.cardTypeId,
      segmentIds: [],
      favouriteCategoryIds: account.buyer.favouriteCategoryIds,
      lots: account.live,
      debt: 0,
      reserved: 0,
      purchasesCount: account.count,
      registeredAt: account.buyer.registeredAt,
    };
  }

  /**
   * Posts a priced receipt as confirmPurchase does: the redemption (its operation is the receipt,
   * so a return finds the lots it took), the accrual lots under one operation, the counters, and
   * the card type the new total reaches.
   */
  post(
    account: BuyerAccount,
    receipt: { id: string; storeId: string; at: number },
    calculation: Calculation,
  ) {
    const { id: receiptId, at } = receipt;
    const totals = calculation.totals;
    if (totals.pointsPaid > 0) {
      const plan = planRedemption(account.live, totals.pointsPaid, at);
      if (!plan.ok) throw new Error(`demo redemption failed: ${plan.error.message}`);
      for (const movement of plan.value.consumed) {
        const lot = account.live.find((l) => l.id === movement.lotId);
        if (!lot) throw new Error(`demo redemption named an unknown lot ${movement.lotId}`);
        lot.remaining = points(lot.remaining - movement.points);
        this.consumptions.push({ operationId: receiptId, lotId: lot.id, points: movement.points });
      }
      this.entries.push({
        buyerId: account.buyer.id,
        operationId: receiptId,
        kind: 'redemption',
        points: 0 - totals.pointsPaid,
        lotId: null,
        receiptId,
        reason: null,
        actorType: 'terminal',
        at,
      });
      account.balance -= totals.pointsPaid;
      account.live = account.live.filter((l) => l.remaining > 0);
    }
    const accrualOperation = this.random.uuidAt(at);
    for (const accrual of calculation.accruals) {
      if (accrual.points <= 0) continue;
      const lot: Lot = {
        id: this.random.uuidAt(at),
        remaining: accrual.points,
        activatesAt: accrual.activatesAt,
        expiresAt: accrual.expiresAt,
        buyerId: account.buyer.id,
        source: accrual.source,
        receiptId,
        promotionId: accrual.promotionId,
        initial: accrual.points,
        createdAt: at,
      };
      this.lots.push(lot);
      account.live.push(lot);
      if (lot.expiresAt !== null) account.nextExpiry = Math.min(account.nextExpiry, lot.expiresAt);
      account.balance += accrual.points;
      this.entries.push({
        buyerId: account.buyer.id,
        operationId: accrualOperation,
        kind: 'accrual',
        points: accrual.points,
        lotId: lot.id,
        receiptId,
        reason: null,
        actorType: 'terminal',
        at,
      });
    }
    account.count++;
    account.total += totals.amountAfterDiscount;
    account.lastAt = at;
    account.lastStoreId = receipt.storeId;
    const tier = evaluateCardType({
      cardTypes: this.rules.snapshot.cardTypes,
      currentCardTypeId: account.cardTypeId,
      purchasesTotal: kopecks(account.total),
      allowDowngrade: this.rules.snapshot.programme.allowDowngrade,
    });
    if (tier.ok && tier.value.change !== 'none') {
      this.upgrades.push({
        buyerId: account.buyer.id,
        from: account.cardTypeId,
        to: tier.value.cardTypeId,
        at,
      });
      account.cardTypeId = tier.value.cardTypeId;
    }
  }

  /** The buyer's points after a receipt, as JSON, shaped like the purchase flow's pointsView. */
  viewJson(account: BuyerAccount, at: number): string {
    const lots = balanceAt(account.live, at);
    // The replay books no debt and no holds, so everything active is available.
    return `{"buyerId":"${account.buyer.id}","balance":${account.balance},"active":${lots.active},"pending":${lots.pending},"debt":0,"reserved":0,"available":${lots.active}}`;
  }

  /** Figures for the log. */
  summary() {
    return {
      lots: this.lots.length,
      ledgerEntries: this.entries.length,
      expiredLots: this.expired,
      upgrades: this.upgrades.length,
    };
  }

  /** Expires what is due by `now`, then writes lots, entries, consumptions, counters and audit. */
  async write(
    trx: Transaction<Database>,
    writer: BulkWriter,
    merchantId: string,
    now: number,
  ): Promise<void> {
    for (const account of this.accounts) this.expireDue(account, now);

    const lots = writer.table(
      'point_lots',
      [
        { name: 'id', type: 'uuid' },
        { name: 'merchant_id', type: 'uuid' },
        { name: 'buyer_id', type: 'uuid' },
        { name: 'source', type: 'text' },
        { name: 'receipt_id', type: 'uuid' },
        { name: 'promotion_id', type: 'uuid' },
        { name: 'initial', type: 'bigint' },
        { name: 'remaining', type: 'bigint' },
        { name: 'activates_at', type: 'timestamptz' },
        { name: 'expires_at', type: 'timestamptz' },
        { name: 'created_at', type: 'timestamptz' },
      ],
      10_000,
    );
    for (const lot of this.lots)
      lots.add(
        lot.id,
        merchantId,
        lot.buyerId,
        lot.source,
        lot.receiptId,
        lot.promotionId,
        lot.initial,
        lot.remaining,
        iso(lot.activatesAt),
        lot.expiresAt === null ? null : iso(lot.expiresAt),
        iso(lot.createdAt),
      );
    await lots.flush();

    // Entry ids follow time, so a buyer's history read by id reads in order.
    this.entries.sort((a, b) => a.at - b.at);
    const entries = writer.table(
      'ledger_entries',
      [
        { name: 'merchant_id', type: 'uuid' },
        { name: 'buyer_id', type: 'uuid' },
        { name: 'operation_id', type: 'uuid' },
        { name: 'kind', type: 'text' },
        { name: 'points', type: 'bigint' },
        { name: 'lot_id', type: 'uuid' },
        { name: 'receipt_id', type: 'uuid' },
        { name: 'reason', type: 'text' },
        { name: 'actor_type', type: 'text' },
        { name: 'created_at', type: 'timestamptz' },
      ],
      10_000,
    );
    for (const e of this.entries)
      entries.add(
        merchantId,
        e.buyerId,
        e.operationId,
        e.kind,
        e.points,
        e.lotId,
        e.receiptId,
        e.reason,
        e.actorType,
        iso(e.at),
      );
    await entries.flush();

    const consumptions = writer.table(
      'lot_consumptions',
      [
        { name: 'merchant_id', type: 'uuid' },
        { name: 'operation_id', type: 'uuid' },
        { name: 'lot_id', type: 'uuid' },
        { name: 'points', type: 'bigint' },
      ],
      10_000,
    );
    for (const c of this.consumptions) consumptions.add(merchantId, c.operationId, c.lotId, c.points);
    await consumptions.flush();

    await this.writeCounters(trx, merchantId, now);
    // The purchase flow audits every automatic card type change; so does its replay.
    const audit = writer.table('audit_log', [
      { name: 'merchant_id', type: 'uuid' },
      { name: 'actor_type', type: 'text' },
      { name: 'action', type: 'text' },
      { name: 'entity', type: 'text' },
      { name: 'entity_id', type: 'text' },
      { name: 'before', type: 'jsonb' },
      { name: 'after', type: 'jsonb' },
      { name: 'created_at', type: 'timestamptz' },
    ]);
    for (const u of this.upgrades)
      audit.add(
        merchantId,
        'system',
        'card_type.upgrade',
        'buyer',
        u.buyerId,
        JSON.stringify({ cardTypeId: u.from }),
        JSON.stringify({ cardTypeId: u.to }),
        iso(u.at),
      );
    await audit.flush();
  }

  /** The buyers were written before their receipts (which reference them): their counters now. */
  private async writeCounters(trx: Transaction<Database>, merchantId: string, now: number): Promise<void> {
    const changed = this.accounts.filter((a) => a.count > 0 || a.balance !== 0);
    for (let from = 0; from < changed.length; from += 10_000) {
      const batch = changed.slice(from, from + 10_000);
      await sql`
        UPDATE buyers AS b SET
          purchases_count = u.count, purchases_total = u.total, last_purchase_at = u.last_at,
          last_store_id = u.last_store, balance = u.balance, card_type_id = u.card_type,
          updated_at = ${iso(now)}::timestamptz
        FROM unnest(
          ${batch.map((a) => a.buyer.id)}::uuid[],
          ${batch.map((a) => a.count)}::int[],
          ${batch.map((a) => a.total)}::bigint[],
          ${batch.map((a) => (a.lastAt === null ? null : iso(a.lastAt)))}::timestamptz[],
          ${batch.map((a) => a.lastStoreId)}::uuid[],
          ${batch.map((a) => a.balance)}::bigint[],
          ${batch.map((a) => a.cardTypeId)}::uuid[]
        ) AS u(id, count, total, last_at, last_store, balance, card_type)
        WHERE b.id = u.id AND b.merchant_id = ${merchantId}
      `.execute(trx);
    }
  }
}

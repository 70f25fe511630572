// Posting a priced receipt: the receipt and its lines, the redemption (soonest-expiring lots
// first, overdraft beyond the balance when the receipt was made offline), the accrual lots, debt
// repayment from new points, referral rewards, coupon uses, the hold consumed, the buyer's
// counters and card type (C2), all planned in memory and written by ONE statement inside the
// caller's transaction. Used by the API confirm (online, no overdraft) and by the terminal push
// (offline receipts are facts: never refused, a shortfall becomes debt).
//
// Ledger shape written here is the same as ledger.service.ts writes operation by operation:
// redemption (operation = receipt id, so a return finds the lots it took), accrual lots (their
// own operation), overdraft_repayment (lots created whole, then consumed), referral lots per
// referrer. Invariant: buyers.balance = sum(entries) = sum(lot remainders) - buyers.debt.
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { BuyerState } from '@loyalty/core/engine/calculation-input.schema';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { applyConsumption } from '@loyalty/core/lots/apply-lot-movements';
import { planRedemption, planRedemptionWithOverdraft } from '@loyalty/core/lots/lot-redemption';
import { kopecks, points } from '@loyalty/core/money/money';
import type { LotMovement } from '@loyalty/core/lots/points-lot';
import type { PreparedRules } from '@loyalty/core/rules/prepared-rules';
import { evaluateCardType } from '@loyalty/core/tiers/card-type-evaluation';
import type { Db } from '#db/database.ts';
import { PREPARED } from '#db/prepared-statements.ts';
import type { Database } from '#db/database-schema.ts';
import { pointsView, type BuyerStateRow } from './buyer-state.ts';

type Trx = Transaction<Database>;

/** The buyer's points as the answer reports them. */
export type PointsAnswer = ReturnType<typeof pointsView>;

/** A receipt ready to post. The buyer (if any) is locked by the caller's transaction. */
export type ReceiptPosting = {
  merchantId: string;
  receiptId: string;
  idempotencyKey: string;
  requestHash: Buffer;
  number: string | null;
  storeId: string | null;
  /** The cashier who made the sale (the merchant's: the key refuses another's), or null. */
  cashierId: string | null;
  source: 'api' | 'cabinet' | 'terminal';
  actor: { type: 'user' | 'api_key' | 'system' | 'terminal'; id: string | null };
  calculation: Calculation;
  /** The locked row and the engine's view of it (loadPostingContext). */
  buyer: { row: BuyerStateRow; state: BuyerState } | null;
  /** Debt of each rewarded referrer, locked (lockReferrers); unknown referrers get nothing. */
  referrerDebts: ReadonlyMap<string, number>;
  /** A live hold to consume (checked by the caller); its points are what this receipt spends. */
  holdId: string | null;
  /**
   * With a tier period (C2): the buyer's net purchases in the period before this receipt
   * (tierTotalFor). Null: the all-time counter on the buyer's row decides.
   */
  tierTotalBefore: number | null;
  /** Offline receipts: spend beyond the lots becomes debt instead of a refusal. */
  allowOverdraft: boolean;
  /** The terminal and its op sequence, for receipts pushed by a till. */
  terminal: { id: string; seq: number } | null;
  rules: PreparedRules;
  now: Date;
};

/** The outcome of planning: the rows to write, or why the receipt cannot be posted. */
export type PostingOutcome =
  | { ok: true; answerBuyer: PointsAnswer | null; overdraft: number }
  | { ok: false; code: 'insufficient_points'; available: number };

/** A new lot as the posting statement inserts it. */
export type LotRow = {
  id: string;
  buyer_id: string;
  source: string;
  promotion_id: string | null;
  initial: number;
  remaining: number;
  activates_at: string;
  expires_at: string | null;
};
/** A ledger entry as the posting statement inserts it. */
export type EntryRow = {
  buyer_id: string;
  operation_id: string;
  kind: string;
  points: number;
  lot_id: string | null;
  reason: string | null;
};
/** A lot consumption as the posting statement inserts it. */
export type ConsumptionRow = { operation_id: string; lot_id: string; points: number };
/** The buyer's own row change, applied by the guarded update. */
export type BuyerChange = { balance: number; debt: number; total: number; cardTypeId: string | null };

/** Every row one receipt writes, planned in memory. */
export type Plan = {
  lots: LotRow[];
  entries: EntryRow[];
  /** Consumption rows of this statement (existing lots and new lots alike). */
  consumptions: ConsumptionRow[];
  /** Existing lots to decrease, one row per lot. */
  spent: Array<{ id: string; points: number }>;
  buyer: BuyerChange | null;
  /** Referrers' balance and debt changes (they are locked by the caller). */
  referrers: Array<{ id: string; balance: number; debt: number }>;
  audit: Array<{
    buyer_id: string;
    before: { cardTypeId: string | null };
    after: { cardTypeId: string; change: string };
  }>;
};

const iso = (instant: number | null) => (instant === null ? null : new Date(instant).toISOString());

/** Credits new lots to one buyer, repaying `debt` from them first (lots created whole, then consumed). */
function credit(
  plan: Plan,
  buyerId: string,
  kind: string,
  reason: string | null,
  debt: number,
  lots: ReadonlyArray<{
    source: string;
    promotionId: string | null;
    points: number;
    activatesAt: number;
    expiresAt: number | null;
  }>,
): {
  credited: number;
  repaid: number;
  created: Array<{ id: string; remaining: number; lot: (typeof lots)[number] }>;
} {
  const operationId = randomUUID();
  const repayment = randomUUID();
  let repay = Math.min(
    debt,
    lots.reduce((a, l) => a + Math.max(0, l.points), 0),
  );
  const repaid = repay;
  let credited = 0;
  const created: Array<{ id: string; remaining: number; lot: (typeof lots)[number] }> = [];
  for (const lot of lots) {
    if (lot.points <= 0) continue;
    const id = randomUUID();
    const take = Math.min(repay, lot.points);
    repay -= take;
    credited += lot.points;
    plan.lots.push({
      id,
      buyer_id: buyerId,
      source: lot.source,
      promotion_id: lot.promotionId,
      initial: lot.points,
      remaining: lot.points - take,
      activates_at: new Date(lot.activatesAt).toISOString(),
      expires_at: iso(lot.expiresAt),
    });
    plan.entries.push({
      buyer_id: buyerId,
      operation_id: operationId,
      kind,
      points: lot.points,
      lot_id: id,
      reason,
    });
    if (take > 0) plan.consumptions.push({ operation_id: repayment, lot_id: id, points: take });
    created.push({ id, remaining: lot.points - take, lot });
  }
  if (repaid > 0)
    plan.entries.push({
      buyer_id: buyerId,
      operation_id: repayment,
      kind: 'overdraft_repayment',
      points: 0,
      lot_id: null,
      reason: 'Погашение долга за списание сверх баланса',
    });
  return { credited, repaid, created };
}

/**
 * Plans every row the receipt writes; pure apart from generating ids. `after` is the engine's
 * view of the buyer once the receipt is posted (lots spent and credited, debt), so receipts of
 * one buyer can be planned in sequence, each on the state the previous one left
 * (receipt-batch-posting.ts).
 */
export function planPosting(posting: ReceiptPosting): {
  plan: Plan;
  outcome: PostingOutcome;
  after: BuyerState | null;
} {
  const plan: Plan = {
    lots: [],
    entries: [],
    consumptions: [],
    spent: [],
    buyer: null,
    referrers: [],
    audit: [],
  };
  const { calculation, buyer, now } = posting;
  if (!buyer) return { plan, outcome: { ok: true, answerBuyer: null, overdraft: 0 }, after: null };
  const state = buyer.state;
  const buyerId = buyer.row.id;
  const paid: number = calculation.totals.pointsPaid;

  // The redemption: the engine's own plan when it was made on this locked state (online),
  // else planned here on the server's lots (offline receipts priced on an older snapshot).
  let consumed: readonly LotMovement[] = [];
  let overdraft = 0;
  if (paid > 0) {
    const planned = calculation.pointsPayment.consumedLots;
    const known = new Set(state.lots.map((l) => l.id));
    if (
      !posting.allowOverdraft &&
      planned.reduce((a, c) => a + c.points, 0) === paid &&
      planned.every((c) => known.has(c.lotId))
    ) {
      consumed = planned;
    } else if (posting.allowOverdraft) {
      const result = planRedemptionWithOverdraft(state.lots, points(paid), now.getTime());
      consumed = result.consumed;
      overdraft = result.overdraft;
    } else {
      const result = planRedemption(state.lots, points(paid), now.getTime());
      if (!result.ok) {
        const details = result.error.details as { available: number };
        return {
          plan,
          outcome: { ok: false, code: 'insufficient_points', available: details.available },
          after: null,
        };
      }
      consumed = result.value.consumed;
    }
    const perLot = new Map<string, number>();
    for (const c of consumed) perLot.set(c.lotId, (perLot.get(c.lotId) ?? 0) + c.points);
    plan.spent = [...perLot].map(([id, amount]) => ({ id, points: amount }));
    for (const c of consumed)
      plan.consumptions.push({ operation_id: posting.receiptId, lot_id: c.lotId, points: c.points });
    plan.entries.push({
      buyer_id: buyerId,
      operation_id: posting.receiptId,
      kind: 'redemption',
      points: -paid,
      lot_id: null,
      reason: overdraft > 0 ? 'Списание сверх баланса (чек офлайн)' : null,
    });
  }

  // Accruals repay any debt first, including the overdraft this very receipt created.
  const debtAfterSpend = state.debt + overdraft;
  const accrual = credit(
    plan,
    buyerId,
    'accrual',
    null,
    debtAfterSpend,
    calculation.accruals.map((lot) => ({
      source: lot.source,
      promotionId: lot.promotionId,
      points: lot.points,
      activatesAt: lot.activatesAt,
      expiresAt: lot.expiresAt,
    })),
  );

  // Counters (D1) and the card type reached by purchases, all-time or over the tier period (C2).
  const purchasesTotal =
    (posting.tierTotalBefore ?? buyer.row.purchases_total) + calculation.totals.amountAfterDiscount;
  const currentCardType = buyer.row.card_type_id ?? posting.rules.snapshot.programme.defaultCardTypeId;
  const evaluation = evaluateCardType({
    cardTypes: posting.rules.snapshot.cardTypes,
    currentCardTypeId: currentCardType,
    purchasesTotal: kopecks(Math.max(0, purchasesTotal)),
    allowDowngrade: posting.rules.snapshot.programme.allowDowngrade,
  });
  const newCardType =
    evaluation.ok && evaluation.value.change !== 'none' ? evaluation.value.cardTypeId : null;
  if (newCardType && evaluation.ok)
    plan.audit.push({
      buyer_id: buyerId,
      before: { cardTypeId: buyer.row.card_type_id },
      after: { cardTypeId: newCardType, change: evaluation.value.change },
    });
  plan.buyer = {
    balance: accrual.credited - paid,
    debt: overdraft - accrual.repaid,
    total: calculation.totals.amountAfterDiscount,
    cardTypeId: newCardType,
  };

  // Referrers are other buyers, locked by the caller (lockReferrers).
  for (const reward of calculation.referralRewards) {
    const debt = posting.referrerDebts.get(reward.referrerId);
    if (debt === undefined || reward.points <= 0) continue;
    const given = credit(
      plan,
      reward.referrerId,
      'referral',
      `Реферальная награда, уровень ${reward.level}`,
      debt,
      [
        {
          source: 'referral',
          promotionId: null,
          points: reward.points,
          activatesAt: reward.activatesAt,
          expiresAt: reward.expiresAt,
        },
      ],
    );
    plan.referrers.push({ id: reward.referrerId, balance: given.credited, debt: -given.repaid });
  }

  // The answer: the buyer's lots after this receipt, known before anything is written.
  const lots = applyConsumption(state.lots, consumed);
  for (const lot of accrual.created)
    lots.push({
      id: lot.id,
      remaining: points(lot.remaining),
      activatesAt: lot.lot.activatesAt,
      expiresAt: lot.lot.expiresAt,
    });
  const after: BuyerState = { ...state, lots, debt: points(debtAfterSpend - accrual.repaid) };
  const answerBuyer = pointsView(after, buyer.row.balance - paid + accrual.credited, now);
  return { plan, outcome: { ok: true, answerBuyer, overdraft }, after };
}

/** A receipt row as the posting statements insert it (jsonb_to_recordset; the hash in hex). */
export type ReceiptRow = {
  id: string;
  merchant_id: string;
  idempotency_key: string;
  request_hash: string;
  number: string | null;
  store_id: string | null;
  buyer_id: string | null;
  source: ReceiptPosting['source'];
  amount: number;
  discount: number;
  points_paid: number;
  paid_money: number;
  accrual: number;
  calculation: Calculation;
  response: { buyer: PointsAnswer | null; overdraft: number };
  terminal_id: string | null;
  terminal_seq: number | null;
  overdraft: number;
  cashier_id: string | null;
};
/** A receipt line as the posting statements insert it. */
export type LineRow = {
  receipt_id: string;
  merchant_id: string;
  position: number;
  product_id: string;
  category_id: string | null;
  quantity: number;
  price: number;
  amount: number;
  discount: number;
  points_paid: number;
  paid_money: number;
  accrual: number;
};

/**
 * The receipt's own rows, the receipt and its lines, as every posting statement writes them
 * (the single posting, the group commit of online confirms and the terminal push's batch).
 */
export function receiptRows(
  posting: ReceiptPosting,
  outcome: { answerBuyer: PointsAnswer | null; overdraft: number },
): { receipt: ReceiptRow; lines: LineRow[] } {
  const { calculation, receiptId, merchantId } = posting;
  const totals = calculation.totals;
  return {
    receipt: {
      id: receiptId,
      merchant_id: merchantId,
      idempotency_key: posting.idempotencyKey,
      request_hash: posting.requestHash.toString('hex'),
      number: posting.number,
      store_id: posting.storeId,
      buyer_id: posting.buyer?.row.id ?? null,
      source: posting.source,
      amount: totals.amount,
      discount: totals.discount,
      points_paid: totals.pointsPaid,
      paid_money: totals.paidMoney,
      accrual: totals.accrual,
      calculation,
      response: { buyer: outcome.answerBuyer, overdraft: outcome.overdraft },
      terminal_id: posting.terminal?.id ?? null,
      terminal_seq: posting.terminal?.seq ?? null,
      overdraft: outcome.overdraft,
      cashier_id: posting.cashierId,
    },
    lines: calculation.lines.map((l) => ({
      receipt_id: receiptId,
      merchant_id: merchantId,
      position: l.index,
      product_id: l.productId,
      category_id: l.categoryId,
      quantity: l.quantity,
      price: l.price,
      amount: l.amount,
      discount: l.discount,
      points_paid: l.pointsPaid,
      paid_money: l.paidMoney,
      accrual: l.accrual,
    })),
  };
}

/**
 * Posts the receipt in ONE statement, inside the caller's transaction or on its own (then the
 * statement is its own transaction). The buyer's row is updated only if its version is still
 * the one read (`buyer.row.version`), and every other write hangs off that update, so a stale
 * read writes nothing and answers `stale`: the caller reads again, or locks and retries. With
 * the row locked the check always passes. A taken idempotency key makes the statement fail
 * with PostgreSQL's unique violation (23505) and nothing is written; the caller answers what
 * the first attempt stored. Referral rewards touch other buyers: post them only with those
 * rows locked (lockReferrers), never optimistically.
 */
export async function postReceipt(
  db: Trx | Db,
  posting: ReceiptPosting,
): Promise<PostingOutcome | { ok: false; code: 'stale' }> {
  const { plan, outcome } = planPosting(posting);
  if (!outcome.ok) return outcome;
  const { calculation, merchantId, now } = posting;
  const totals = calculation.totals;
  const buyerId = posting.buyer?.row.id ?? null;
  const { lines } = receiptRows(posting, outcome);
  const codes = calculation.coupons.accepted.map((c) => c.code);
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
  const change = plan.buyer;
  // The guard: the buyer's row moves only from the version the plan was made on. An anonymous
  // receipt has no buyer and one row here, so the rest is written unconditionally.
  const guard =
    posting.buyer && change
      ? sql`UPDATE buyers b SET
            balance = b.balance + ${change.balance},
            debt = b.debt + ${change.debt},
            purchases_count = b.purchases_count + 1,
            purchases_total = b.purchases_total + ${change.total},
            last_purchase_at = ${now},
            last_store_id = ${posting.storeId}::uuid,
            card_type_id = coalesce(${change.cardTypeId}::uuid, b.card_type_id),
            updated_at = now(),
            version = b.version + 1
          WHERE b.id = ${buyerId}::uuid AND b.merchant_id = ${merchantId}
            AND b.version = ${posting.buyer.row.version} AND b.erased_at IS NULL
          RETURNING b.id`
      : sql`SELECT NULL::uuid AS id`;
  // Every write selects FROM g (through r): when the guard does not pass, nothing is written.
  // All sub-statements see one snapshot; no other writer touches these lots while the guard holds.
  const result = await sql<{ receipt_id: string | null }>`${PREPARED}
    WITH g AS (${guard}),
    r AS (
      INSERT INTO receipts (id, merchant_id, idempotency_key, request_hash, number, store_id, buyer_id,
                            source, amount, discount, points_paid, paid_money, accrual, calculation,
                            response, terminal_id, terminal_seq, overdraft, cashier_id)
      SELECT ${posting.receiptId}::uuid, ${merchantId}::uuid, ${posting.idempotencyKey}::text,
             ${posting.requestHash}::bytea, ${posting.number}::text, ${posting.storeId}::uuid,
             ${buyerId}::uuid, ${posting.source}::text, ${totals.amount}::bigint, ${totals.discount}::bigint,
             ${totals.pointsPaid}::bigint, ${totals.paidMoney}::bigint, ${totals.accrual}::bigint,
             ${JSON.stringify(calculation)}::jsonb,
             ${JSON.stringify({ buyer: outcome.answerBuyer, overdraft: outcome.overdraft })}::jsonb,
             ${posting.terminal?.id ?? null}::uuid, ${posting.terminal?.seq ?? null}::bigint,
             ${outcome.overdraft}::bigint, ${posting.cashierId}::uuid
        FROM g
      RETURNING id
    ), receipt_lines_in AS (
      INSERT INTO receipt_lines (receipt_id, merchant_id, position, product_id, category_id, quantity, price,
                                 amount, discount, points_paid, paid_money, accrual)
      SELECT r.id, ${merchantId}, x.position, x.product_id, x.category_id, x.quantity, x.price, x.amount,
             x.discount, x.points_paid, x.paid_money, x.accrual
        FROM r, jsonb_to_recordset(${json(lines)}) AS x(position int, product_id text, category_id text,
             quantity bigint, price bigint, amount bigint, discount bigint, points_paid bigint,
             paid_money bigint, accrual bigint)
    ), lots_in AS (
      INSERT INTO point_lots (id, merchant_id, buyer_id, source, receipt_id, promotion_id, initial, remaining,
                              activates_at, expires_at)
      SELECT x.id, ${merchantId}, x.buyer_id, x.source, r.id, x.promotion_id, x.initial, x.remaining,
             x.activates_at, x.expires_at
        FROM r, jsonb_to_recordset(${json(plan.lots)}) AS x(id uuid, buyer_id uuid, source text,
             promotion_id uuid, initial bigint, remaining bigint, activates_at timestamptz,
             expires_at timestamptz)
    ), spent AS (
      UPDATE point_lots l SET remaining = l.remaining - x.points
        FROM r, jsonb_to_recordset(${json(plan.spent)}) AS x(id uuid, points bigint)
       WHERE l.id = x.id
    ), consumptions_in AS (
      INSERT INTO lot_consumptions (merchant_id, operation_id, lot_id, points)
      SELECT ${merchantId}, x.operation_id, x.lot_id, x.points
        FROM r, jsonb_to_recordset(${json(plan.consumptions)}) AS x(operation_id uuid, lot_id uuid, points bigint)
    ), entries_in AS (
      INSERT INTO ledger_entries (merchant_id, buyer_id, operation_id, kind, points, lot_id, receipt_id, reason,
                                  actor_type, actor_id)
      SELECT ${merchantId}, x.buyer_id, x.operation_id, x.kind, x.points, x.lot_id, r.id, x.reason,
             ${posting.actor.type}, ${posting.actor.id}
        FROM r, jsonb_to_recordset(${json(plan.entries)}) AS x(buyer_id uuid, operation_id uuid, kind text,
             points bigint, lot_id uuid, reason text)
    ), referrers_up AS (
      UPDATE buyers b SET balance = b.balance + x.balance, debt = b.debt + x.debt, version = b.version + 1
        FROM r, jsonb_to_recordset(${json(plan.referrers)}) AS x(id uuid, balance bigint, debt bigint)
       WHERE b.id = x.id AND b.merchant_id = ${merchantId}
    ), audit_in AS (
      INSERT INTO audit_log (merchant_id, actor_type, actor_id, action, entity, entity_id, before, after)
      SELECT ${merchantId}, 'system', NULL, 'card_type.' || (x.after ->> 'change'), 'buyer', x.buyer_id,
             x.before, x.after - 'change'
        FROM r, jsonb_to_recordset(${json(plan.audit)}) AS x(buyer_id text, before jsonb, after jsonb)
    ), hold AS (
      -- A hold cancelled meanwhile only freed its points: the receipt spent points it had anyway.
      UPDATE point_holds h SET status = 'consumed', receipt_id = r.id
        FROM r
       WHERE h.id = ${posting.holdId}::uuid AND h.merchant_id = ${merchantId} AND h.status = 'active'
    ), coupons_up AS (
      UPDATE coupon_codes c SET uses = c.uses + 1
        FROM r, jsonb_array_elements_text(${json(codes)}) AS code(value)
       WHERE c.merchant_id = ${merchantId} AND c.code = code.value
      RETURNING c.id
    ), coupons_in AS (
      INSERT INTO coupon_redemptions (merchant_id, code_id, buyer_id, receipt_id)
      SELECT ${merchantId}, coupons_up.id, ${buyerId}::uuid, r.id FROM r, coupons_up
    )
    SELECT (SELECT id FROM r) AS receipt_id`.execute(db);
  if (!result.rows[0]?.receipt_id) return { ok: false, code: 'stale' };
  return outcome;
}

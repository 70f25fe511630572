// The purchase flow (B4) on one transaction per operation: calculate (dry run through the
// engine), hold, confirm (idempotent; posts the receipt and its ledger entries), return.
import { createHash, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import { calculate } from '@loyalty/core/engine/calculate';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { applyConsumption } from '@loyalty/core/lots/apply-lot-movements';
import { availableToSpend } from '@loyalty/core/lots/lot-balance';
import { kopecks, points } from '@loyalty/core/money/money';
import type { PreparedRules } from '@loyalty/core/rules/prepared-rules';
import { calculateReturn } from '@loyalty/core/returns/return-calculation';
import { returnBasisFromCalculation } from '@loyalty/core/returns/return-basis';
import { evaluateCardType } from '@loyalty/core/tiers/card-type-evaluation';
import type {
  calculateRequestSchema,
  confirmRequestSchema,
  holdRequestSchema,
  returnRequestSchema,
} from '@loyalty/protocol/api/purchases.schema';
import type { Actor } from '#auth/actor.ts';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { ApiError, conflict, notFound } from '#http/api-error.ts';
import {
  creditLots,
  debitPoints,
  lockBuyer,
  restorePoints,
  reverseAccrual,
  type LedgerContext,
} from '#ledger/ledger.service.ts';
import { preparedRulesFor } from '#programme/rules-snapshot.ts';
import { buyerStateOf, loadBuyerState, pointsView, type BuyerStateRow } from './buyer-state.ts';
import { engineLines, lockBuyerByRef, presentedCoupons, resolveBuyerId } from './purchase-input.ts';

type Trx = Transaction<Database>;
type CalculateRequest = z.output<typeof calculateRequestSchema>;
type ConfirmRequest = z.output<typeof confirmRequestSchema>;

/** Accruals credited to the buyer when the receipt is confirmed, by engine source. */
const BUYER_ACCRUAL_SOURCES = ['purchase', 'promotion', 'promotion_gift', 'first_purchase'] as const;

async function rulesOf(db: Db, merchantId: string): Promise<PreparedRules> {
  const rules = await preparedRulesFor(db, merchantId);
  if (!rules)
    throw new ApiError(
      409,
      'programme_not_configured',
      'Программа лояльности не настроена: добавьте тип карты в кабинете',
    );
  return rules;
}

/** The stable hash of a request body, to tell a retry from a different request under one key. */
function requestHash(body: unknown): Buffer {
  return createHash('sha256').update(JSON.stringify(body)).digest();
}

function engineProblem(error: { code: string; message: string; details?: unknown }): ApiError {
  const status = error.code === 'invalid_input' ? 400 : 409;
  return new ApiError(status, error.code, error.message, error.details ?? null);
}

async function priceIn(
  db: Db | Trx,
  rules: PreparedRules,
  merchantId: string,
  request: CalculateRequest,
  buyerId: string | null,
  now: Date,
  lockedRow?: BuyerStateRow,
) {
  const defaultCardTypeId = rules.snapshot.programme.defaultCardTypeId;
  const buyer = lockedRow
    ? await buyerStateOf(db, merchantId, lockedRow, defaultCardTypeId, now)
    : buyerId
      ? await loadBuyerState(db, merchantId, buyerId, defaultCardTypeId, now)
      : null;
  if (buyerId && !buyer) throw notFound('Покупатель');
  const result = calculate(rules, {
    receipt: {
      storeId: request.storeId,
      lines: await engineLines(db, merchantId, request.lines),
      coupons: await presentedCoupons(db, merchantId, request.coupons, buyerId),
      pointsToPay: request.pointsToPay,
    },
    buyer,
    now: now.getTime(),
  });
  if (!result.ok) throw engineProblem(result.error);
  return { calculation: result.value, buyer };
}

/** A dry run: what the receipt would cost and earn, changing nothing. */
export async function calculatePurchase(db: Db, actor: Actor, request: CalculateRequest) {
  const rules = await rulesOf(db, actor.merchantId);
  const now = new Date();
  const buyerId = request.buyer ? await resolveBuyerId(db, actor.merchantId, request.buyer) : null;
  const { calculation, buyer } = await priceIn(db, rules, actor.merchantId, request, buyerId, now);
  const balance = buyer
    ? (await db.selectFrom('buyers').select('balance').where('id', '=', buyer.id).executeTakeFirstOrThrow())
        .balance
    : 0;
  return { buyer: buyer ? pointsView(buyer, balance, now) : null, calculation };
}

/** Holds points for a sale about to happen, so a parallel sale cannot spend them. */
export async function holdPoints(db: Db, actor: Actor, request: z.output<typeof holdRequestSchema>) {
  const now = new Date();
  const rules = await rulesOf(db, actor.merchantId);
  return db.transaction().execute(async (trx) => {
    const buyerId = await resolveBuyerId(trx, actor.merchantId, request.buyer);
    await lockBuyer(trx, actor.merchantId, buyerId);
    const state = await loadBuyerState(
      trx,
      actor.merchantId,
      buyerId,
      rules.snapshot.programme.defaultCardTypeId,
      now,
    );
    if (!state) throw notFound('Покупатель');
    const available = availableToSpend(state.lots, now.getTime(), {
      debt: state.debt,
      reserved: state.reserved,
    });
    if (request.points > available)
      throw new ApiError(
        409,
        'insufficient_points',
        `Недостаточно баллов: доступно ${(available / 100).toFixed(2)}`,
        {
          available,
          requested: request.points,
        },
      );
    return trx
      .insertInto('point_holds')
      .values({
        merchant_id: actor.merchantId,
        buyer_id: buyerId,
        points: request.points,
        expires_at: new Date(now.getTime() + request.ttlSeconds * 1000),
      })
      .returning(['id', 'buyer_id', 'points', 'status', 'expires_at'])
      .executeTakeFirstOrThrow();
  });
}

/** Cancels a live hold; cancelling twice is harmless. */
export async function cancelHold(db: Db, actor: Actor, holdId: string) {
  const row = await db
    .updateTable('point_holds')
    .set({ status: 'cancelled' })
    .where('merchant_id', '=', actor.merchantId)
    .where('id', '=', holdId)
    .where('status', 'in', ['active', 'cancelled'])
    .returning(['id', 'buyer_id', 'points', 'status', 'expires_at'])
    .executeTakeFirst();
  if (!row) throw notFound('Резерв баллов');
  return row;
}

type Stored = { receiptId: string; buyer: ReturnType<typeof pointsView> | null; calculation: Calculation };

async function storedAnswer(
  db: Db | Trx,
  merchantId: string,
  key: string,
  hash: Buffer,
): Promise<Stored | null> {
  const existing = await db
    .selectFrom('receipts')
    .select(['id', 'request_hash', 'response', 'calculation'])
    .where('merchant_id', '=', merchantId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (!existing) return null;
  if (!existing.request_hash.equals(hash))
    throw conflict('Этот ключ идемпотентности уже использован для другого чека', { idempotencyKey: key });
  // The calculation is stored once; the response keeps only what the calculation does not hold.
  const response = existing.response as { buyer: Stored['buyer'] };
  return { receiptId: existing.id, buyer: response.buyer, calculation: existing.calculation as Calculation };
}

/**
 * Posts a receipt: the engine prices it again on the buyer's locked state, the redemption
 * consumes exactly the lots the engine planned (refused if the balance no longer covers it:
 * this flow is online), accruals create lots, referrers get their rewards, coupons count a use,
 * the card type is re-evaluated. About a dozen statements in one transaction.
 */
export async function confirmPurchase(db: Db, actor: Actor, request: ConfirmRequest): Promise<Stored> {
  const { idempotencyKey, holdId, number, ...priced } = request;
  const hash = requestHash(request);
  const replay = await storedAnswer(db, actor.merchantId, idempotencyKey, hash);
  if (replay) return replay;
  const rules = await rulesOf(db, actor.merchantId);
  try {
    return await db
      .transaction()
      .execute((trx) => confirmIn(trx, rules, actor, priced, { idempotencyKey, holdId, number, hash }));
  } catch (error) {
    // Two identical requests raced: the loser reads the winner's stored answer.
    if ((error as { code?: string }).code === '23505') {
      const stored = await storedAnswer(db, actor.merchantId, idempotencyKey, hash);
      if (stored) return stored;
    }
    throw error;
  }
}

async function confirmIn(
  trx: Trx,
  rules: PreparedRules,
  actor: Actor,
  request: CalculateRequest,
  meta: { idempotencyKey: string; holdId: string | undefined; number: string | undefined; hash: Buffer },
): Promise<Stored> {
  const now = new Date();
  const merchantId = actor.merchantId;
  // Found and locked in one statement: parallel sales to one buyer wait here, one at a time.
  const locked = request.buyer ? await lockBuyerByRef(trx, merchantId, request.buyer) : undefined;
  const buyerId = locked?.id ?? null;
  if (buyerId) {
    // A retry that raced the first attempt waited for this lock: answer with what it booked.
    const raced = await storedAnswer(trx, merchantId, meta.idempotencyKey, meta.hash);
    if (raced) return raced;
  }
  if (meta.holdId) {
    const hold = await trx
      .updateTable('point_holds')
      .set({ status: 'consumed' })
      .where('merchant_id', '=', merchantId)
      .where('id', '=', meta.holdId)
      .where('buyer_id', '=', buyerId ?? '00000000-0000-0000-0000-000000000000')
      .where('status', '=', 'active')
      .where('expires_at', '>', now)
      .returning('id')
      .executeTakeFirst();
    if (!hold) throw conflict('Резерв баллов не найден, истёк или относится к другому покупателю');
  }
  const { calculation, buyer } = await priceIn(trx, rules, merchantId, request, buyerId, now, locked);
  const totals = calculation.totals;
  const receiptId = randomUUID();
  const accrued = calculation.accruals.reduce((a, lot) => a + lot.points, 0);

  // The answer is known before anything is written: the buyer's lots after this receipt.
  let answerBuyer: Stored['buyer'] = null;
  if (buyer && locked) {
    const lots = applyConsumption(buyer.lots, calculation.pointsPayment.consumedLots);
    // New lots repay any debt first (creditLots), in the order they are created.
    let repay = Math.min(buyer.debt, accrued);
    const repaid = repay;
    for (const lot of calculation.accruals) {
      const take = Math.min(repay, lot.points);
      repay -= take;
      lots.push({
        id: `new-${lots.length}`,
        remaining: points(lot.points - take),
        activatesAt: lot.activatesAt,
        expiresAt: lot.expiresAt,
      });
    }
    answerBuyer = pointsView(
      { ...buyer, lots, debt: points(buyer.debt - repaid) },
      locked.balance - totals.pointsPaid + accrued,
      now,
    );
  }
  const answer: Stored = { receiptId, buyer: answerBuyer, calculation };
  await trx
    .insertInto('receipts')
    .values({
      id: receiptId,
      merchant_id: merchantId,
      idempotency_key: meta.idempotencyKey,
      request_hash: meta.hash,
      number: meta.number ?? null,
      store_id: request.storeId,
      buyer_id: buyerId,
      source: actor.kind === 'api_key' ? 'api' : 'cabinet',
      amount: totals.amount,
      discount: totals.discount,
      points_paid: totals.pointsPaid,
      paid_money: totals.paidMoney,
      accrual: totals.accrual,
      calculation: JSON.stringify(calculation),
      response: JSON.stringify({ buyer: answerBuyer }),
    })
    .execute();
  await trx
    .insertInto('receipt_lines')
    .values(
      calculation.lines.map((l) => ({
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
    )
    .execute();

  if (buyerId && buyer) {
    const ctx: LedgerContext = {
      merchantId,
      buyerId,
      // The redemption's operation is the receipt itself, so a return finds the lots it took.
      operationId: receiptId,
      now,
      receiptId,
      actorType: actor.kind,
      actorId: actor.id,
    };
    const debit = await debitPoints(trx, ctx, totals.pointsPaid, {
      allowOverdraft: false,
      planned: calculation.pointsPayment.consumedLots,
    });
    if (!debit.ok)
      throw new ApiError(409, 'insufficient_points', 'Баллов уже не хватает: обновите расчёт чека', {
        available: debit.available,
      });
    await creditLots(
      trx,
      { ...ctx, operationId: randomUUID() },
      'accrual',
      calculation.accruals.map((lot) => ({
        source: lot.source,
        points: lot.points,
        activatesAt: new Date(lot.activatesAt),
        expiresAt: lot.expiresAt === null ? null : new Date(lot.expiresAt),
        promotionId: lot.promotionId,
      })),
    );
    // Referrers are other buyers: lock them in id order so concurrent receipts cannot deadlock.
    for (const reward of [...calculation.referralRewards].sort((a, b) =>
      a.referrerId.localeCompare(b.referrerId),
    )) {
      if (!(await lockBuyer(trx, merchantId, reward.referrerId))) continue;
      await creditLots(
        trx,
        {
          ...ctx,
          buyerId: reward.referrerId,
          operationId: randomUUID(),
          reason: `Реферальная награда, уровень ${reward.level}`,
        },
        'referral',
        [
          {
            source: 'referral',
            points: reward.points,
            activatesAt: new Date(reward.activatesAt),
            expiresAt: reward.expiresAt === null ? null : new Date(reward.expiresAt),
          },
        ],
      );
    }
    await updateBuyerStats(trx, rules, merchantId, buyerId, totals.amountAfterDiscount, request.storeId, now);
  }
  for (const coupon of calculation.coupons.accepted) {
    const code = await trx
      .updateTable('coupon_codes')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('merchant_id', '=', merchantId)
      .where('code', '=', coupon.code)
      .returning('id')
      .executeTakeFirst();
    if (code)
      await trx
        .insertInto('coupon_redemptions')
        .values({ merchant_id: merchantId, code_id: code.id, buyer_id: buyerId, receipt_id: receiptId })
        .execute();
  }
  return answer;
}

/** Purchase counters (D1) and the card type reached by total purchases (C2). */
async function updateBuyerStats(
  trx: Trx,
  rules: PreparedRules,
  merchantId: string,
  buyerId: string,
  amountDelta: number,
  storeId: string | null,
  now: Date | null,
  countDelta = 1,
) {
  const row = await trx
    .updateTable('buyers')
    .set((eb) => ({
      purchases_count: eb('purchases_count', '+', countDelta),
      purchases_total: eb('purchases_total', '+', amountDelta),
      ...(now ? { last_purchase_at: now, last_store_id: storeId } : {}),
      updated_at: new Date(),
    }))
    .where('id', '=', buyerId)
    .returning(['purchases_total', 'card_type_id'])
    .executeTakeFirstOrThrow();
  const evaluation = evaluateCardType({
    cardTypes: rules.snapshot.cardTypes,
    currentCardTypeId: row.card_type_id ?? rules.snapshot.programme.defaultCardTypeId,
    purchasesTotal: kopecks(Math.max(0, row.purchases_total)),
    allowDowngrade: rules.snapshot.programme.allowDowngrade,
  });
  if (evaluation.ok && evaluation.value.change !== 'none') {
    await trx
      .updateTable('buyers')
      .set({ card_type_id: evaluation.value.cardTypeId })
      .where('id', '=', buyerId)
      .execute();
    await trx
      .insertInto('audit_log')
      .values({
        merchant_id: merchantId,
        actor_type: 'system',
        actor_id: null,
        action: `card_type.${evaluation.value.change}`,
        entity: 'buyer',
        entity_id: buyerId,
        before: JSON.stringify({ cardTypeId: row.card_type_id }),
        after: JSON.stringify({ cardTypeId: evaluation.value.cardTypeId }),
      })
      .execute();
  }
}

type ReturnAnswer = {
  returnId: string;
  receiptId: string;
  result: unknown;
  buyer: ReturnType<typeof pointsView> | null;
};

/**
 * Returns lines of a confirmed receipt (A7): refunds money, gives back the points paid to the
 * same lots, takes back what was accrued (the buyer's and the referrers'), all proportional and
 * exact over any sequence of partial returns.
 */
export async function returnPurchase(
  db: Db,
  actor: Actor,
  receiptId: string,
  request: z.output<typeof returnRequestSchema>,
): Promise<ReturnAnswer> {
  const hash = requestHash({ receiptId, ...request });
  const stored = async (executor: Db | Trx) => {
    const existing = await executor
      .selectFrom('receipt_returns')
      .select(['request_hash', 'response'])
      .where('merchant_id', '=', actor.merchantId)
      .where('idempotency_key', '=', request.idempotencyKey)
      .executeTakeFirst();
    if (!existing) return null;
    if (!existing.request_hash.equals(hash))
      throw conflict('Этот ключ идемпотентности уже использован для другого возврата');
    return existing.response as ReturnAnswer;
  };
  const replay = await stored(db);
  if (replay) return replay;
  return db.transaction().execute(async (trx) => {
    const receipt = await trx
      .selectFrom('receipts')
      .select(['id', 'buyer_id', 'calculation', 'store_id'])
      .where('merchant_id', '=', actor.merchantId)
      .where('id', '=', receiptId)
      .forUpdate()
      .executeTakeFirst();
    if (!receipt) throw notFound('Чек');
    const rules = await rulesOf(db, actor.merchantId);
    const again = await stored(trx);
    if (again) return again;
    if (receipt.buyer_id) await lockBuyer(trx, actor.merchantId, receipt.buyer_id);
    const previous = await trx
      .selectFrom('receipt_returns')
      .select('request')
      .where('receipt_id', '=', receipt.id)
      .orderBy('created_at')
      .execute();
    const calculation = receipt.calculation as Calculation;
    const result = calculateReturn(
      returnBasisFromCalculation(calculation),
      previous.map((p) => p.request as { lines: Array<{ index: number; quantity: number }> }),
      { lines: request.lines },
    );
    if (!result.ok)
      throw new ApiError(400, result.error.code, result.error.message, result.error.details ?? null);
    const value = result.value;
    const returnId = randomUUID();
    const now = new Date();
    if (receipt.buyer_id) {
      const ctx: LedgerContext = {
        merchantId: actor.merchantId,
        buyerId: receipt.buyer_id,
        operationId: returnId,
        now,
        receiptId: receipt.id,
        actorType: actor.kind,
        actorId: actor.id,
        reason: 'Возврат',
      };
      await restorePoints(trx, ctx, receipt.id, value.totals.pointsRestored);
      const buyerLevel = value.receiptAccrualsReversed
        .filter((r) => !r.key.startsWith('referral:'))
        .reduce((a, r) => a + r.points, 0);
      await reverseAccrual(
        trx,
        { ...ctx, operationId: randomUUID() },
        receipt.id,
        value.totals.accrualReversed + buyerLevel,
        [...BUYER_ACCRUAL_SOURCES],
      );
      for (const reversal of value.receiptAccrualsReversed.filter((r) => r.key.startsWith('referral:'))) {
        const referrerId = reversal.key.split(':')[1] ?? '';
        if (!(await lockBuyer(trx, actor.merchantId, referrerId))) continue;
        await reverseAccrual(
          trx,
          { ...ctx, buyerId: referrerId, operationId: randomUUID() },
          receipt.id,
          reversal.points,
          ['referral'],
        );
      }
      await updateBuyerStats(
        trx,
        rules,
        actor.merchantId,
        receipt.buyer_id,
        0 - value.totals.amount,
        receipt.store_id,
        null,
        value.fullyReturned ? -1 : 0,
      );
    }
    const after = receipt.buyer_id
      ? await loadBuyerState(
          trx,
          actor.merchantId,
          receipt.buyer_id,
          rules.snapshot.programme.defaultCardTypeId,
          now,
        )
      : null;
    const balance = receipt.buyer_id
      ? (
          await trx
            .selectFrom('buyers')
            .select('balance')
            .where('id', '=', receipt.buyer_id)
            .executeTakeFirstOrThrow()
        ).balance
      : 0;
    const answer: ReturnAnswer = {
      returnId,
      receiptId: receipt.id,
      result: value,
      buyer: after ? pointsView(after, balance, now) : null,
    };
    await trx
      .insertInto('receipt_returns')
      .values({
        id: returnId,
        merchant_id: actor.merchantId,
        receipt_id: receipt.id,
        idempotency_key: request.idempotencyKey,
        request_hash: hash,
        request: JSON.stringify({ lines: request.lines }),
        response: JSON.stringify(answer),
        refund_money: value.totals.refundMoney,
      })
      .execute();
    return answer;
  });
}

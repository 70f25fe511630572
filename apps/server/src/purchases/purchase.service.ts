// The purchase flow (B4) on one transaction per operation: calculate (dry run through the
// engine), hold, confirm (idempotent; posts the receipt and its ledger entries), return.
import { createHash, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import { calculate } from '@loyalty/core/engine/calculate';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { availableToSpend } from '@loyalty/core/lots/lot-balance';
import type { PreparedRules } from '@loyalty/core/rules/prepared-rules';
import type {
  calculateRequestSchema,
  confirmRequestSchema,
  holdRequestSchema,
  returnRequestSchema,
} from '@loyalty/protocol/api/purchases.schema';
import type { Actor } from '#auth/actor.ts';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { isForeignKeyViolation } from '#db/pg-error.ts';
import { ApiError, conflict, notFound } from '#http/api-error.ts';
import { lockBuyer } from '#ledger/ledger.service.ts';
import { referralModeFor } from '#buyers/referral-policy.ts';
import { preparedRulesFor } from '#programme/rules-snapshot.ts';
import { periodTotalOrNull } from '#tiers/tier-total.ts';
import { loadBuyerState, pointsView } from './buyer-state.ts';
import {
  loadPostingContext,
  lockReferrers,
  readPostingContext,
  readPostingContextInGroup,
  type PostingContext,
  type PostingReadOptions,
} from './posting-context.ts';
import {
  buyerKeyOf,
  linesFromCatalogue,
  lockBuyerByRef,
  presentedCoupons,
  resolveBuyerId,
} from './purchase-input.ts';
import { groupable, postReceiptInGroup } from './receipt-group-commit.ts';
import { postReceipt, type PointsAnswer, type ReceiptPosting } from './receipt-posting.ts';
import { postReturn, storedReturn, type ReturnAnswer } from './return-posting.ts';

type Trx = Transaction<Database>;
type CalculateRequest = z.output<typeof calculateRequestSchema>;
type ConfirmRequest = z.output<typeof confirmRequestSchema>;

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

/**
 * A cashierId that is not one of the merchant's cashiers. No read checks it beforehand: the
 * receipt's and the return's keys include merchant_id, so the write itself refuses it and the
 * usual sale pays nothing for the check.
 */
function unknownCashier(error: unknown, cashierId: string | undefined): ApiError | null {
  if (
    cashierId === undefined ||
    !(
      isForeignKeyViolation(error, 'receipts_cashier_fkey') ||
      isForeignKeyViolation(error, 'receipt_returns_cashier_fkey')
    )
  )
    return null;
  return new ApiError(
    404,
    'cashier_not_found',
    'Кассир не найден: в cashierId укажите кассира из кабинета этой компании (список — GET /api/v1/cashiers) или не передавайте поле',
    { cashierId },
  );
}

function engineProblem(error: { code: string; message: string; details?: unknown }): ApiError {
  const status = error.code === 'invalid_input' ? 400 : 409;
  return new ApiError(status, error.code, error.message, error.details ?? null);
}

/** A dry run: what the receipt would cost and earn, changing nothing. */
export async function calculatePurchase(db: Db, actor: Actor, request: CalculateRequest) {
  const rules = await rulesOf(db, actor.merchantId);
  const now = new Date();
  const key = request.buyer ? buyerKeyOf(request.buyer) : null;
  const context = await readPostingContext(db, actor.merchantId, key, {
    now,
    holdId: null,
    productKeys: request.lines.map((l) => l.productId),
    defaultCardTypeId: rules.snapshot.programme.defaultCardTypeId,
    referralMode: await referralModeFor(db, actor.merchantId),
  });
  // Explain a miss precisely (unknown phone, blocked card...) through the plain lookup.
  if (request.buyer && !context.row) await resolveBuyerId(db, actor.merchantId, request.buyer);
  const row = context.row;
  const result = calculate(rules, {
    receipt: {
      storeId: request.storeId,
      lines: linesFromCatalogue(request.lines, context.products),
      coupons: await presentedCoupons(db, actor.merchantId, request.coupons, row?.id ?? null),
      pointsToPay: request.pointsToPay,
    },
    buyer: context.buyer,
    now: now.getTime(),
  });
  if (!result.ok) throw engineProblem(result.error);
  return {
    buyer: row && context.buyer ? pointsView(context.buyer, row.balance, now) : null,
    calculation: result.value,
  };
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

type Stored = { receiptId: string; buyer: PointsAnswer | null; calculation: Calculation };

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

/** Optimistic attempts before a confirm locks the buyer instead (contention on one buyer). */
const OPTIMISTIC_ATTEMPTS = 2;

type ConfirmMeta = {
  idempotencyKey: string;
  holdId: string | undefined;
  number: string | undefined;
  cashierId: string | undefined;
  hash: Buffer;
};

/**
 * Posts a receipt. The usual sale takes two statements: one read (buyer, lots, holds,
 * referrers, catalogue) and one write (receipt-posting.ts) that applies only if the buyer's row
 * did not move meanwhile. When it did (parallel sales to one buyer), the sale reads again; after
 * a second miss, or when referrers are rewarded, it locks the rows and posts in a transaction.
 * A taken idempotency key answers what the first attempt stored; a different body under the
 * same key is a 409.
 */
export async function confirmPurchase(db: Db, actor: Actor, request: ConfirmRequest): Promise<Stored> {
  const { idempotencyKey, holdId, number, cashierId, ...priced } = request;
  const meta: ConfirmMeta = { idempotencyKey, holdId, number, cashierId, hash: requestHash(request) };
  const rules = await rulesOf(db, actor.merchantId);
  try {
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const done = await confirmWith(db, db, null, rules, actor, priced, meta);
      if (done) return done;
    }
    const locked = await db
      .transaction()
      .execute((trx) => confirmWith(db, trx, trx, rules, actor, priced, meta));
    if (!locked) throw new Error('a posting under lock cannot be stale');
    return locked;
  } catch (error) {
    // The key is taken (a retry, or two identical requests racing): answer what is stored.
    if ((error as { code?: string }).code === '23505') {
      const stored = await storedAnswer(db, actor.merchantId, idempotencyKey, meta.hash);
      if (stored) return stored;
    }
    throw unknownCashier(error, cashierId) ?? error;
  }
}

/**
 * Prices and posts once; `lock` is the transaction to lock rows in, or null for optimistic (then
 * `db` is `pool`, whose group commit the write joins).
 */
async function confirmWith(
  pool: Db,
  db: Db | Trx,
  lock: Trx | null,
  rules: PreparedRules,
  actor: Actor,
  request: CalculateRequest,
  meta: ConfirmMeta,
): Promise<Stored | null> {
  const now = new Date();
  const merchantId = actor.merchantId;
  const options: PostingReadOptions = {
    now,
    holdId: meta.holdId ?? null,
    productKeys: request.lines.map((l) => l.productId),
    defaultCardTypeId: rules.snapshot.programme.defaultCardTypeId,
    referralMode: await referralModeFor(db, merchantId),
  };
  let context: PostingContext;
  if (lock) {
    // Parallel sales to one buyer wait here, one at a time.
    const row = request.buyer ? await lockBuyerByRef(lock, merchantId, request.buyer) : null;
    context = await loadPostingContext(lock, merchantId, row, options);
  } else {
    // The reads of confirms arriving together share one statement, as their writes do.
    context = await readPostingContextInGroup(
      pool,
      merchantId,
      request.buyer ? buyerKeyOf(request.buyer) : null,
      options,
    );
    // Explain a miss precisely (unknown phone, blocked card...) through the plain lookup.
    if (request.buyer && !context.row) await resolveBuyerId(db, merchantId, request.buyer);
  }
  if (request.buyer && !context.row) throw notFound('Покупатель');
  if (meta.holdId && !context.holdLive)
    throw conflict('Резерв баллов не найден, истёк или относится к другому покупателю');
  const result = calculate(rules, {
    receipt: {
      storeId: request.storeId,
      lines: linesFromCatalogue(request.lines, context.products),
      coupons: await presentedCoupons(db, merchantId, request.coupons, context.row?.id ?? null),
      pointsToPay: request.pointsToPay,
    },
    buyer: context.buyer,
    now: now.getTime(),
  });
  if (!result.ok) throw engineProblem(result.error);
  const calculation = result.value;
  // Rewards change other buyers' rows: only under their locks.
  if (!lock && calculation.referralRewards.length > 0) return null;
  const receiptId = randomUUID();
  const posting: ReceiptPosting = {
    merchantId,
    receiptId,
    idempotencyKey: meta.idempotencyKey,
    requestHash: meta.hash,
    number: meta.number ?? null,
    storeId: request.storeId,
    cashierId: meta.cashierId ?? null,
    source: actor.kind === 'api_key' ? 'api' : 'cabinet',
    actor: { type: actor.kind, id: actor.id },
    calculation,
    buyer: context.row && context.buyer ? { row: context.row, state: context.buyer } : null,
    referrerDebts: lock
      ? await lockReferrers(
          lock,
          merchantId,
          calculation.referralRewards.map((r) => r.referrerId),
        )
      : new Map(),
    holdId: meta.holdId ?? null,
    tierTotalBefore: context.row ? await periodTotalOrNull(db, merchantId, context.row.id, now) : null,
    allowOverdraft: false,
    terminal: null,
    rules,
    now,
  };
  // Optimistic writes of concurrent confirms share one statement (receipt-group-commit.ts).
  const posted =
    !lock && groupable(posting) ? await postReceiptInGroup(pool, posting) : await postReceipt(db, posting);
  if (!posted.ok) {
    switch (posted.code) {
      case 'stale':
        return null;
      case 'insufficient_points':
        throw new ApiError(409, 'insufficient_points', 'Баллов уже не хватает: обновите расчёт чека', {
          available: posted.available,
        });
    }
  }
  return { receiptId, buyer: posted.answerBuyer, calculation };
}

/**
 * Returns lines of a confirmed receipt (A7), idempotent by key: the posting itself is shared with
 * the terminal push (return-posting.ts).
 */
export async function returnPurchase(
  db: Db,
  actor: Actor,
  receiptId: string,
  request: z.output<typeof returnRequestSchema>,
): Promise<ReturnAnswer> {
  const hash = requestHash({ receiptId, ...request });
  const keyConflict = () => conflict('Этот ключ идемпотентности уже использован для другого возврата');
  const replay = await storedReturn(db, actor.merchantId, request.idempotencyKey, hash);
  if (replay === 'conflict') throw keyConflict();
  if (replay) return replay.answer;
  const posted = db.transaction().execute(async (trx) => {
    const outcome = await postReturn(trx, () => rulesOf(db, actor.merchantId), {
      merchantId: actor.merchantId,
      receiptId,
      returnId: randomUUID(),
      idempotencyKey: request.idempotencyKey,
      requestHash: hash,
      lines: request.lines,
      cashierId: request.cashierId ?? null,
      actor: { type: actor.kind, id: actor.id },
      now: new Date(),
    });
    if (outcome.ok) return outcome.answer;
    switch (outcome.code) {
      case 'receipt_not_found':
        throw notFound('Чек');
      case 'duplicate':
        return outcome.answer;
      case 'key_conflict':
        throw keyConflict();
      case 'refused':
        throw new ApiError(400, outcome.error.code, outcome.error.message, outcome.error.details ?? null);
    }
  });
  return posted.catch((error: unknown) => {
    throw unknownCashier(error, request.cashierId) ?? error;
  });
}

// Posting a return (A7) inside the caller's transaction: refunds money, gives back the points paid
// to the same lots, takes back what was accrued (the buyer's and the referrers'), all proportional
// and exact over any sequence of partial returns. Used by the API return and by the terminal push
// (a return of a receipt made on any terminal). Expected failures are values.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { kopecks } from '@loyalty/core/money/money';
import type { PreparedRules } from '@loyalty/core/rules/prepared-rules';
import { calculateReturn } from '@loyalty/core/returns/return-calculation';
import { returnBasisFromCalculation } from '@loyalty/core/returns/return-basis';
import { evaluateCardType } from '@loyalty/core/tiers/card-type-evaluation';
import { periodTotalOrNull } from '#tiers/tier-total.ts';
import type { Database } from '#db/database-schema.ts';
import { lockBuyer, restorePoints, reverseAccrual, type LedgerContext } from '#ledger/ledger.service.ts';
import { loadBuyerState, pointsView } from './buyer-state.ts';

type Trx = Transaction<Database>;

/** Accruals credited to the buyer when the receipt was posted, by engine source. */
const BUYER_ACCRUAL_SOURCES = ['purchase', 'promotion', 'promotion_gift', 'first_purchase'] as const;

/** The answer to a return, stored with it and replayed to retries. */
export type ReturnAnswer = {
  returnId: string;
  receiptId: string;
  result: unknown;
  buyer: ReturnType<typeof pointsView> | null;
};

/** A return ready to post. */
export type ReturnPosting = {
  merchantId: string;
  receiptId: string;
  returnId: string;
  idempotencyKey: string;
  requestHash: Buffer;
  lines: ReadonlyArray<{ index: number; quantity: number }>;
  /** The cashier who took the goods back (the merchant's: the key refuses another's), or null. */
  cashierId: string | null;
  actor: { type: 'user' | 'api_key' | 'system' | 'terminal'; id: string | null };
  now: Date;
};

export type ReturnOutcome =
  | { ok: true; answer: ReturnAnswer }
  | { ok: false; code: 'receipt_not_found' }
  /** The key was used before: with the same request (its answer) or another one (conflict). */
  | { ok: false; code: 'duplicate'; answer: ReturnAnswer }
  | { ok: false; code: 'key_conflict' }
  /** The engine's refusal (quantities beyond what is left, unknown lines...). */
  | { ok: false; code: 'refused'; error: { code: string; message: string; details: unknown } };

/** Reads the answer stored under the idempotency key, if any. */
export async function storedReturn(
  db: Kysely<Database>,
  merchantId: string,
  idempotencyKey: string,
  requestHash: Buffer,
): Promise<{ answer: ReturnAnswer } | 'conflict' | null> {
  const existing = await db
    .selectFrom('receipt_returns')
    .select(['request_hash', 'response'])
    .where('merchant_id', '=', merchantId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  if (!existing) return null;
  if (!existing.request_hash.equals(requestHash)) return 'conflict';
  return { answer: existing.response as ReturnAnswer };
}

/**
 * Posts the return. The receipt row is locked first, so returns of one receipt serialise and
 * each one sees the returns before it; `rules` is read only once the receipt is known.
 */
export async function postReturn(
  trx: Trx,
  rules: PreparedRules | (() => Promise<PreparedRules>),
  posting: ReturnPosting,
): Promise<ReturnOutcome> {
  const { merchantId, now } = posting;
  const receipt = await trx
    .selectFrom('receipts')
    .select(['id', 'buyer_id', 'calculation', 'store_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', posting.receiptId)
    .forUpdate()
    .executeTakeFirst();
  if (!receipt) return { ok: false, code: 'receipt_not_found' };
  const prepared = typeof rules === 'function' ? await rules() : rules;
  const again = await storedReturn(trx, merchantId, posting.idempotencyKey, posting.requestHash);
  if (again === 'conflict') return { ok: false, code: 'key_conflict' };
  if (again) return { ok: false, code: 'duplicate', answer: again.answer };
  if (receipt.buyer_id) await lockBuyer(trx, merchantId, receipt.buyer_id);
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
    { lines: [...posting.lines] },
  );
  if (!result.ok)
    return {
      ok: false,
      code: 'refused',
      error: {
        code: result.error.code,
        message: result.error.message,
        details: result.error.details ?? null,
      },
    };
  const value = result.value;
  const returnId = posting.returnId;
  if (receipt.buyer_id) {
    const ctx: LedgerContext = {
      merchantId,
      buyerId: receipt.buyer_id,
      operationId: returnId,
      now,
      receiptId: receipt.id,
      actorType: posting.actor.type,
      actorId: posting.actor.id,
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
      if (!(await lockBuyer(trx, merchantId, referrerId))) continue;
      await reverseAccrual(
        trx,
        { ...ctx, buyerId: referrerId, operationId: randomUUID() },
        receipt.id,
        reversal.points,
        ['referral'],
      );
    }
    await returnedStats(
      trx,
      prepared,
      merchantId,
      receipt.buyer_id,
      value.totals.amount,
      value.fullyReturned,
    );
  }
  const after = receipt.buyer_id
    ? await loadBuyerState(
        trx,
        merchantId,
        receipt.buyer_id,
        prepared.snapshot.programme.defaultCardTypeId,
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
      merchant_id: merchantId,
      receipt_id: receipt.id,
      idempotency_key: posting.idempotencyKey,
      request_hash: posting.requestHash,
      request: JSON.stringify({ lines: posting.lines }),
      response: JSON.stringify(answer),
      refund_money: value.totals.refundMoney,
      cashier_id: posting.cashierId,
    })
    .execute();
  return { ok: true, answer };
}

/** Purchase counters (D1) and the card type (C2) after a return: the total goes down. */
async function returnedStats(
  trx: Trx,
  rules: PreparedRules,
  merchantId: string,
  buyerId: string,
  amount: number,
  fullyReturned: boolean,
) {
  // With a tier period the return counts against the period's net purchases (C2); the return
  // is not written yet, so its amount is taken off here.
  const periodTotal = await periodTotalOrNull(trx, merchantId, buyerId, new Date());
  const row = await trx
    .updateTable('buyers')
    .set((eb) => ({
      purchases_count: eb('purchases_count', '+', fullyReturned ? -1 : 0),
      purchases_total: eb('purchases_total', '+', 0 - amount),
      updated_at: new Date(),
    }))
    .where('id', '=', buyerId)
    .returning(['purchases_total', 'card_type_id'])
    .executeTakeFirstOrThrow();
  const evaluation = evaluateCardType({
    cardTypes: rules.snapshot.cardTypes,
    currentCardTypeId: row.card_type_id ?? rules.snapshot.programme.defaultCardTypeId,
    purchasesTotal: kopecks(Math.max(0, periodTotal === null ? row.purchases_total : periodTotal - amount)),
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

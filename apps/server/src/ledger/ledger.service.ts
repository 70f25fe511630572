// Point movements on the server (C12). Every function runs inside the caller's transaction with
// the buyer's row locked (lockBuyer), so concurrent operations on one buyer serialise and can
// never overspend. The lot arithmetic is the pure code of packages/core; this file only loads,
// applies and records it. Invariant kept by every function here:
//   buyers.balance = sum(ledger_entries.points) = sum(point_lots.remaining) - buyers.debt
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { PointsLot } from '@loyalty/core/lots/points-lot';
import { planRedemption, planRedemptionWithOverdraft } from '@loyalty/core/lots/lot-redemption';
import { planRestore } from '@loyalty/core/lots/lot-restore';
import { points } from '@loyalty/core/money/money';
import type { Database } from '#db/database-schema.ts';

type Trx = Transaction<Database>;

/** Who and why, recorded on every entry of one operation. */
export type LedgerContext = {
  merchantId: string;
  buyerId: string;
  /** Groups the entries of one operation (a receipt, a return, a manual change). */
  operationId: string;
  now: Date;
  receiptId?: string | null;
  reason?: string | null;
  actorType?: 'user' | 'api_key' | 'system' | 'terminal' | null;
  actorId?: string | null;
};

/** A lot to create. */
export type NewLot = {
  source: string;
  points: number;
  activatesAt: Date;
  expiresAt: Date | null;
  promotionId?: string | null;
};

/**
 * Locks the buyer's row for the rest of the transaction and returns its balance and debt. It
 * also bumps the row's version, so an optimistic receipt posting that read the buyer before
 * this lock (receipt-posting.ts) refuses to apply and reads again.
 */
export async function lockBuyer(trx: Trx, merchantId: string, buyerId: string) {
  return trx
    .updateTable('buyers')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('merchant_id', '=', merchantId)
    .where('id', '=', buyerId)
    .returning(['id', 'balance', 'debt', 'card_type_id', 'purchases_count', 'erased_at'])
    .executeTakeFirst();
}

/** The buyer's lots that still hold points, as the core lot functions take them. */
export async function loadLots(trx: Kysely<Database>, buyerId: string): Promise<PointsLot[]> {
  const rows = await trx
    .selectFrom('point_lots')
    .select(['id', 'remaining', 'activates_at', 'expires_at'])
    .where('buyer_id', '=', buyerId)
    .where('remaining', '>', 0)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    remaining: points(r.remaining),
    activatesAt: r.activates_at.getTime(),
    expiresAt: r.expires_at?.getTime() ?? null,
  }));
}

function entryRow(ctx: LedgerContext, kind: string, amount: number, lotId: string | null) {
  return {
    merchant_id: ctx.merchantId,
    buyer_id: ctx.buyerId,
    operation_id: ctx.operationId,
    kind,
    points: amount,
    lot_id: lotId,
    receipt_id: ctx.receiptId ?? null,
    reason: ctx.reason ?? null,
    actor_type: ctx.actorType ?? null,
    actor_id: ctx.actorId ?? null,
  };
}

async function entry(
  trx: Trx,
  ctx: LedgerContext,
  kind: string,
  amount: number,
  lotId: string | null = null,
) {
  await trx
    .insertInto('ledger_entries')
    .values(entryRow(ctx, kind, amount, lotId))
    .execute();
}

async function moveBalance(trx: Trx, buyerId: string, balanceDelta: number, debtDelta: number) {
  await trx
    .updateTable('buyers')
    .set((eb) => ({ balance: eb('balance', '+', balanceDelta), debt: eb('debt', '+', debtDelta) }))
    .where('id', '=', buyerId)
    .execute();
}

async function consumeLots(
  trx: Trx,
  ctx: LedgerContext,
  consumed: ReadonlyArray<{ lotId: string; points: number }>,
) {
  if (consumed.length === 0) return;
  // One statement for all lots: a receipt may touch dozens of small lots.
  const values = sql.join(consumed.map((c) => sql`(${c.lotId}::uuid, ${c.points}::bigint)`));
  await sql`
    UPDATE point_lots SET remaining = point_lots.remaining - v.points
    FROM (VALUES ${values}) AS v(id, points) WHERE point_lots.id = v.id`.execute(trx);
  await trx
    .insertInto('lot_consumptions')
    .values(
      consumed.map((c) => ({
        merchant_id: ctx.merchantId,
        operation_id: ctx.operationId,
        lot_id: c.lotId,
        points: c.points,
      })),
    )
    .execute();
}

/**
 * Credits new lots (accrual, gift, referral, manual). Any debt is repaid first from the new
 * points: the lots are created whole (their history stays readable) and then consumed by an
 * `overdraft_repayment` operation, which leaves the balance unchanged.
 */
export async function creditLots(
  trx: Trx,
  ctx: LedgerContext,
  kind: string,
  lots: readonly NewLot[],
): Promise<string[]> {
  // Ids are made here so lots and their entries go in two statements, in a known order.
  const created = lots.filter((lot) => lot.points > 0).map((lot) => ({ ...lot, id: randomUUID() }));
  if (created.length === 0) return [];
  await trx
    .insertInto('point_lots')
    .values(
      created.map((lot) => ({
        id: lot.id,
        merchant_id: ctx.merchantId,
        buyer_id: ctx.buyerId,
        source: lot.source,
        receipt_id: ctx.receiptId ?? null,
        promotion_id: lot.promotionId ?? null,
        initial: lot.points,
        remaining: lot.points,
        activates_at: lot.activatesAt,
        expires_at: lot.expiresAt,
      })),
    )
    .execute();
  await trx
    .insertInto('ledger_entries')
    .values(created.map((lot) => entryRow(ctx, kind, lot.points, lot.id)))
    .execute();
  const total = created.reduce((a, c) => a + c.points, 0);
  const buyer = await trx
    .updateTable('buyers')
    .set((eb) => ({ balance: eb('balance', '+', total) }))
    .where('id', '=', ctx.buyerId)
    .returning('debt')
    .executeTakeFirstOrThrow();
  let repay = Math.min(buyer.debt, total);
  if (repay > 0) {
    await moveBalance(trx, ctx.buyerId, 0, -repay);
    const repayment = {
      ...ctx,
      operationId: randomUUID(),
      reason: 'Погашение долга за списание сверх баланса',
    };
    const consumed: Array<{ lotId: string; points: number }> = [];
    for (const lot of created) {
      if (repay <= 0) break;
      const take = Math.min(lot.points, repay);
      consumed.push({ lotId: lot.id, points: take });
      repay -= take;
    }
    await consumeLots(trx, repayment, consumed);
    await entry(trx, repayment, 'overdraft_repayment', 0);
  }
  return created.map((c) => c.id);
}

/**
 * Spends points from active lots, soonest-expiring first. With `allowOverdraft` (receipts made
 * offline, which are never refused) the part beyond the balance becomes debt; without it a
 * shortfall is refused and nothing is written. `planned` skips reloading the lots when the
 * caller already planned the consumption on the locked state (the engine's consumedLots).
 */
export async function debitPoints(
  trx: Trx,
  ctx: LedgerContext,
  amount: number,
  options: {
    allowOverdraft: boolean;
    kind?: string;
    planned?: ReadonlyArray<{ lotId: string; points: number }>;
  },
): Promise<{ ok: true; overdraft: number } | { ok: false; available: number }> {
  if (amount <= 0) return { ok: true, overdraft: 0 };
  const now = ctx.now.getTime();
  let consumed: ReadonlyArray<{ lotId: string; points: number }>;
  let overdraft = 0;
  if (options.planned && options.planned.reduce((a, c) => a + c.points, 0) === amount) {
    consumed = options.planned;
  } else if (options.allowOverdraft) {
    const plan = planRedemptionWithOverdraft(await loadLots(trx, ctx.buyerId), points(amount), now);
    consumed = plan.consumed;
    overdraft = plan.overdraft;
  } else {
    const plan = planRedemption(await loadLots(trx, ctx.buyerId), points(amount), now);
    if (!plan.ok) {
      const details = plan.error.details as { available: number };
      return { ok: false, available: details.available };
    }
    consumed = plan.value.consumed;
  }
  await consumeLots(trx, ctx, consumed);
  await entry(trx, ctx, options.kind ?? 'redemption', -amount);
  await moveBalance(trx, ctx.buyerId, -amount, overdraft);
  return { ok: true, overdraft };
}

export async function restorePoints(
  trx: Trx,
  ctx: LedgerContext,
  redemptionOperationId: string,
  amount: number,
) {
  if (amount <= 0) return;
  const consumptions = await trx
    .selectFrom('lot_consumptions')
    .select(['id', 'lot_id', 'points', 'restored'])
    .where('operation_id', '=', redemptionOperationId)
    .orderBy('id')
    .execute();
  const consumed = consumptions.map((c) => ({ lotId: c.lot_id, points: points(c.points) }));
  const alreadyRestored = consumptions
    .filter((c) => c.restored > 0)
    .map((c) => ({ lotId: c.lot_id, points: points(c.restored) }));
  const room = consumptions.reduce((a, c) => a + c.points - c.restored, 0);
  const toLots = Math.min(room, amount);
  const plan = planRestore(consumed, points(toLots), alreadyRestored);
  if (!plan.ok) throw new Error(`restore plan failed: ${plan.error.message}`);
  for (const movement of plan.value) {
    await trx
      .updateTable('point_lots')
      .set((eb) => ({ remaining: eb('remaining', '+', movement.points) }))
      .where('id', '=', movement.lotId)
      .execute();
    // Spread the restored amount over this lot's consumption rows of the operation.
    let left: number = movement.points;
    for (const c of consumptions.filter((x) => x.lot_id === movement.lotId)) {
      const take = Math.min(left, c.points - c.restored);
      if (take <= 0) continue;
      await trx
        .updateTable('lot_consumptions')
        .set((eb) => ({ restored: eb('restored', '+', take) }))
        .where('id', '=', c.id)
        .execute();
      c.restored += take;
      left -= take;
    }
  }
  // What the lots cannot take back was overdraft: it cancels debt still owed; if later accruals
  // already repaid that debt, the buyer gets the points as a fresh lot.
  const beyondLots = amount - toLots;
  const buyer = await trx
    .selectFrom('buyers')
    .select('debt')
    .where('id', '=', ctx.buyerId)
    .executeTakeFirstOrThrow();
  const cancelDebt = Math.min(buyer.debt, beyondLots);
  const extra = beyondLots - cancelDebt;
  if (extra > 0)
    await trx
      .insertInto('point_lots')
      .values({
        merchant_id: ctx.merchantId,
        buyer_id: ctx.buyerId,
        source: 'return_restore',
        receipt_id: ctx.receiptId ?? null,
        initial: extra,
        remaining: extra,
        activates_at: ctx.now,
        expires_at: null,
      })
      .execute();
  await entry(trx, ctx, 'return_restore', amount);
  await moveBalance(trx, ctx.buyerId, amount, -cancelDebt);
}

/**
 * Takes back points a receipt accrued (returns, A7): from the receipt's own lots first; what was
 * already spent becomes debt, repaid from future accruals.
 */
export async function reverseAccrual(
  trx: Trx,
  ctx: LedgerContext,
  receiptId: string,
  amount: number,
  sources: readonly string[],
) {
  if (amount <= 0) return;
  const lots = await trx
    .selectFrom('point_lots')
    .select(['id', 'remaining'])
    .where('receipt_id', '=', receiptId)
    .where('buyer_id', '=', ctx.buyerId)
    .where('source', 'in', sources)
    .where('remaining', '>', 0)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  let left = amount;
  const consumed: Array<{ lotId: string; points: number }> = [];
  for (const lot of lots) {
    if (left <= 0) break;
    const take = Math.min(lot.remaining, left);
    consumed.push({ lotId: lot.id, points: take });
    left -= take;
  }
  await consumeLots(trx, ctx, consumed);
  await entry(trx, ctx, 'return_reversal', -amount);
  await moveBalance(trx, ctx.buyerId, -amount, left);
}

/** Burns what is left in lots whose expiry has come (C12); returns how many lots it burned. */
export async function expireDueLots(trx: Trx, now: Date, limit = 1000): Promise<number> {
  const due = await trx
    .selectFrom('point_lots')
    .select(['id', 'merchant_id', 'buyer_id', 'remaining'])
    .where('expires_at', '<=', now)
    .where('remaining', '>', 0)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  for (const lot of due) {
    const ctx: LedgerContext = {
      merchantId: lot.merchant_id,
      buyerId: lot.buyer_id,
      operationId: randomUUID(),
      now,
      reason: 'Сгорание по сроку',
      actorType: 'system',
    };
    await lockBuyer(trx, lot.merchant_id, lot.buyer_id);
    await trx.updateTable('point_lots').set({ remaining: 0 }).where('id', '=', lot.id).execute();
    await entry(trx, ctx, 'expiry', -lot.remaining, lot.id);
    await moveBalance(trx, lot.buyer_id, -lot.remaining, 0);
  }
  return due.length;
}

/** The three sides of the ledger invariant for one buyer (tests and the consistency check). */
export async function ledgerSides(db: Kysely<Database>, buyerId: string) {
  const result = await sql<{ balance: number; debt: number; entries: number; lots: number }>`
    SELECT b.balance, b.debt,
      coalesce((SELECT sum(points) FROM ledger_entries WHERE buyer_id = b.id), 0)::bigint AS entries,
      coalesce((SELECT sum(remaining) FROM point_lots WHERE buyer_id = b.id), 0)::bigint AS lots
    FROM buyers b WHERE b.id = ${buyerId}`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error(`buyer ${buyerId} not found`);
  return row;
}

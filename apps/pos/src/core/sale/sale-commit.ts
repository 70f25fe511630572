// Books a sale. The receipt, its lines, its outbox op and its local point movements are written
// in ONE SQLite transaction before anything is printed: after a crash either all of it exists
// (and will be pushed) or none of it does (and nothing was printed).
import { createHash } from 'node:crypto';
import { err, ok, type Problem, type Result } from '@loyalty/core/shared/result';
import type { ReceiptPayload } from '@loyalty/protocol/sync/push.schema';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { takeReceiptNumber } from '#core/store/identity.repository.ts';
import { enqueueOp } from '#core/store/outbox.repository.ts';
import { recordMovements, type PointMovement } from '#core/store/point-movements.repository.ts';
import { fail, TerminalError, type HandlerResult } from '#core/shared/terminal-error.ts';
import { uuidv7 } from '#core/shared/uuidv7.ts';
import { getReceiptByKey, insertReceipt, type StoredReceipt } from './receipts.repository.ts';
import { receiptSlip, type ReceiptSlip } from './receipt-slip.ts';
import { checkPointsCode, consumePointsCode } from './points-code.ts';
import { priceSale, refreshCoupons, type PricedSale } from './sale-pricing.ts';
import type { CommitArgs } from './sale.schema.ts';

const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const notLoggedIn = () =>
  fail(TerminalError.notLoggedIn, 'Кассир не вошёл в систему: введите код доступа кассира.');

/** Test hook: runs inside the write transaction after the receipt rows, before the commit. */
export type CommitProbe = (stage: 'written') => void;

/** Places a hold online; answers the sale's mode, or a refusal the cashier must see. */
async function holdIfOnline(
  ctx: TerminalContext,
  priced: PricedSale,
): Promise<Result<{ offline: boolean; holdId: string | null }, Problem>> {
  const spend = priced.calculation.totals.pointsPaid;
  if (priced.offline || spend === 0 || !priced.buyer || priced.buyer.source === 'local')
    return ok({ offline: priced.offline, holdId: null });
  const hold = await ctx.sync.placeHold(priced.buyer.item.id, spend);
  if (hold.ok) return ok({ offline: false, holdId: hold.value.id });
  // The network failed between pricing and paying: the sale goes on offline, within the limits.
  if (hold.status === null || hold.status >= 500) return ok({ offline: true, holdId: null });
  return fail(
    TerminalError.holdRefused,
    `Сервер не подтвердил списание баллов: ${hold.error.message} Определите покупателя заново и пересчитайте чек.`,
    { serverCode: hold.error.code, ...(hold.error.details ? { server: hold.error.details } : {}) },
  );
}

/** `sale.commit`: prices again, books, and returns the slip. */
export async function commitSale(
  ctx: TerminalContext,
  args: CommitArgs,
  probe?: CommitProbe,
): Promise<HandlerResult<ReceiptSlip>> {
  const cashier = ctx.session.current();
  if (!cashier) return notLoggedIn();
  const { idempotencyKey, expected, pointsCode, ...sale } = args;
  const requestHash = hashOf(sale);
  if (idempotencyKey !== undefined) {
    const replay = getReceiptByKey(ctx.db, idempotencyKey);
    if (replay) {
      if (replay.requestHash !== requestHash)
        return fail(
          TerminalError.idempotencyConflict,
          'Этот ключ идемпотентности уже использован для другого чека.',
          { idempotencyKey, receiptId: replay.id },
        );
      return ok(receiptSlip(ctx.db, replay, ctx.clock.now()));
    }
  }

  await refreshCoupons(ctx, sale);
  const first = priceSale(ctx, sale, !ctx.sync.isOnline());
  if (!first.ok) return first;
  const buyerId = first.value.buyer?.item.id ?? null;
  const coded = checkPointsCode(ctx, first.value.calculation, buyerId, first.value.offline, pointsCode);
  if (!coded.ok) return coded;
  const mode = await holdIfOnline(ctx, first.value);
  if (!mode.ok) return mode;
  const { offline, holdId } = mode.value;

  let written: StoredReceipt;
  try {
    const booked = ctx.db.transaction((): Result<StoredReceipt, Problem> => {
      // Priced again inside the transaction: nothing can spend the same points in between.
      const priced = priceSale(ctx, sale, offline);
      if (!priced.ok) return priced;
      const c = priced.value.calculation;
      if (
        expected &&
        (expected.paidMoney !== c.totals.paidMoney || expected.pointsPaid !== c.totals.pointsPaid)
      )
        return fail(
          TerminalError.calculationChanged,
          'Расчёт чека изменился (правила или баланс покупателя обновились): проверьте суммы и подтвердите снова.',
          { expected, actual: { paidMoney: c.totals.paidMoney, pointsPaid: c.totals.pointsPaid } },
        );
      if (holdId !== null && c.totals.pointsPaid !== first.value.calculation.totals.pointsPaid)
        return fail(TerminalError.calculationChanged, 'Расчёт чека изменился: пересчитайте чек.');
      // Gone offline between the first pricing and now: a coded payment cannot be confirmed.
      const recoded = checkPointsCode(ctx, c, buyerId, offline, pointsCode);
      if (!recoded.ok) return recoded;
      const now = priced.value.now;
      const receiptId = uuidv7(now);
      const number = String(takeReceiptNumber(ctx.db));
      const payload: ReceiptPayload = {
        receiptId,
        number,
        storeId: priced.value.storeId,
        cashierId: cashier.cashierId,
        buyerId: priced.value.buyer?.item.id ?? null,
        identifiedBy: priced.value.buyer ? sale.identifiedBy : null,
        lines: [...priced.value.requestLines],
        coupons: sale.coupons,
        pointsToPay: c.pointsPayment.applied,
        // The engine's result is deeply readonly; the wire schema describes the same JSON mutably.
        calculation: c as unknown as ReceiptPayload['calculation'],
        rulesVersion: c.rulesVersion,
        holdId,
        offline,
      };
      const { seq } = enqueueOp(ctx.db, { kind: 'receipt', payload, occurredAt: now }, ctx.clock.deviceNow());
      const receipt: StoredReceipt = {
        id: receiptId,
        seq,
        number,
        idempotencyKey: idempotencyKey ?? null,
        requestHash,
        storeId: priced.value.storeId,
        cashierId: cashier.cashierId,
        buyerId: payload.buyerId,
        identifiedBy: payload.identifiedBy,
        offline,
        holdId,
        rulesVersion: c.rulesVersion,
        request: {
          lines: [...priced.value.requestLines],
          coupons: sale.coupons,
          pointsToPay: c.pointsPayment.applied,
          names: [...priced.value.lineNames],
        },
        calculation: c,
        createdAt: now,
      };
      insertReceipt(ctx.db, receipt);
      if (payload.buyerId) {
        const movements: PointMovement[] = [
          { buyerId: payload.buyerId, kind: 'spend', points: c.totals.pointsPaid },
          { buyerId: payload.buyerId, kind: 'accrual', points: c.totals.accrual },
        ];
        recordMovements(ctx.db, seq, movements, offline, now);
      }
      probe?.('written');
      return ok(receipt);
    })();
    if (!booked.ok) {
      if (holdId) await ctx.sync.cancelHold(holdId);
      return err(booked.error);
    }
    written = booked.value;
  } catch (error) {
    if (holdId) await ctx.sync.cancelHold(holdId);
    throw error;
  }
  if (buyerId && written.calculation.totals.pointsPaid > 0) consumePointsCode(ctx, buyerId);
  ctx.sync.requestPush();
  ctx.events.emit('receipt', { receiptId: written.id, number: written.number, offline });
  return ok(receiptSlip(ctx.db, written, ctx.clock.now()));
}

// Returns (A7) of receipts made at this terminal, or at another till of the merchant (fetched from
// the server online and kept): the engine's telescoping split over the stored calculation, the
// earlier returns taken into account, and the return written with its outbox op and point
// movements in one transaction. The server computes the same return from its copy.
import { createHash } from 'node:crypto';
import { returnBasisFromCalculation } from '@loyalty/core/returns/return-basis';
import { calculateReturn, remainingQuantities } from '@loyalty/core/returns/return-calculation';
import type { ReturnCalculation } from '@loyalty/core/returns/return.types';
import { err, ok, type Problem, type Result } from '@loyalty/core/shared/result';
import type { ReturnPayload } from '@loyalty/protocol/sync/push.schema';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import {
  getReceipt,
  getReceiptByNumber,
  getReturnByKey,
  insertReturn,
  returnsOfReceipt,
  type StoredReceipt,
  type StoredReturn,
} from '#core/sale/receipts.repository.ts';
import { receiptSlip, type ReceiptSlip } from '#core/sale/receipt-slip.ts';
import { enqueueOp } from '#core/store/outbox.repository.ts';
import { recordMovements } from '#core/store/point-movements.repository.ts';
import { fail, TerminalError, type HandlerResult } from '#core/shared/terminal-error.ts';
import { uuidv7 } from '#core/shared/uuidv7.ts';
import {
  asStoredReceipt,
  getForeignReceipt,
  getForeignReceiptByNumber,
} from './foreign-receipts.repository.ts';
import type { CommitReturnArgs, ReturnArgs } from './return.schema.ts';

/** A receipt found for a return, with what is left to return per line. */
export type ReturnableReceipt = {
  readonly receipt: ReceiptSlip;
  /** Quantity still open per line, in thousandths, by line index. */
  readonly remaining: readonly number[];
  readonly returns: ReadonlyArray<{
    readonly returnId: string;
    readonly createdAt: number;
    /** Known for returns made here; null for those made elsewhere. */
    readonly refundMoney: number | null;
  }>;
};

/** A booked return and what to hand back. */
export type ReturnSlip = {
  readonly returnId: string;
  readonly receiptId: string;
  readonly receiptNumber: string;
  readonly seq: number;
  readonly createdAt: number;
  readonly calculation: ReturnCalculation;
  readonly lines: ReadonlyArray<{ readonly index: number; readonly name: string; readonly quantity: number }>;
};

const notFound = () =>
  fail(
    TerminalError.receiptNotFound,
    'Чек не найден ни на этом терминале, ни на сервере. Проверьте номер или отсканируйте чек.',
  );

/** A receipt to return from and the returns made of it before, in the order they were booked. */
type ReturnSource = {
  readonly receipt: StoredReceipt;
  readonly previous: ReadonlyArray<{ returnId: string; lines: StoredReturn['lines']; createdAt: number }>;
};

/**
 * The receipt by id: made here, or another till's copy from the server. For a copy, the earlier
 * returns are the server's plus this till's own not yet in it (matched by return id).
 */
function returnSource(ctx: TerminalContext, receiptId: string): ReturnSource | null {
  const own = getReceipt(ctx.db, receiptId);
  const local = (id: string) =>
    returnsOfReceipt(ctx.db, id).map((r) => ({ returnId: r.id, lines: r.lines, createdAt: r.createdAt }));
  if (own) return { receipt: own, previous: local(own.id) };
  const copy = getForeignReceipt(ctx.db, receiptId);
  if (!copy) return null;
  const known = new Set(copy.returns.map((r) => r.returnId));
  return {
    receipt: asStoredReceipt(copy),
    previous: [...copy.returns, ...local(copy.id).filter((r) => !known.has(r.returnId))],
  };
}

/** Finds the receipt here, else asks the server (and keeps its copy), else the kept copy offline. */
async function locate(
  ctx: TerminalContext,
  ref: { receiptId?: string | undefined; number?: string | undefined },
): Promise<HandlerResult<ReturnSource>> {
  const own =
    ref.receiptId !== undefined
      ? getReceipt(ctx.db, ref.receiptId)
      : getReceiptByNumber(ctx.db, ref.number ?? '');
  if (own) {
    const source = returnSource(ctx, own.id);
    if (source) return ok(source);
  }
  const fetched = await ctx.sync.lookupReceipt(
    ref.receiptId !== undefined ? { receiptId: ref.receiptId } : { number: ref.number ?? '' },
  );
  let id: string | null;
  if (fetched.ok) id = fetched.value?.id ?? null;
  else if (fetched.status === null || fetched.error.code === TerminalError.notPaired) {
    // No network: a copy fetched earlier still serves; the server checks the quantities again.
    id =
      ref.receiptId !== undefined
        ? (getForeignReceipt(ctx.db, ref.receiptId)?.id ?? null)
        : (getForeignReceiptByNumber(ctx.db, ref.number ?? '')?.id ?? null);
    if (id === null)
      return fail(
        TerminalError.receiptNotFound,
        'Чек не найден на этом терминале, а сервер недоступен: чек другой кассы можно вернуть, когда появится связь.',
      );
  } else return err(fetched.error);
  const source = id === null ? null : returnSource(ctx, id);
  return source ? ok(source) : notFound();
}

/** `return.find`. */
export async function findForReturn(
  ctx: TerminalContext,
  ref: { receiptId?: string | undefined; number?: string | undefined },
): Promise<HandlerResult<ReturnableReceipt>> {
  const found = await locate(ctx, ref);
  if (!found.ok) return found;
  const { receipt, previous } = found.value;
  const remaining = remainingQuantities(
    returnBasisFromCalculation(receipt.calculation),
    previous.map((r) => ({ lines: r.lines })),
  );
  if (!remaining.ok) return err(remaining.error);
  const own = new Map(returnsOfReceipt(ctx.db, receipt.id).map((r) => [r.id, r]));
  return ok({
    receipt: receiptSlip(ctx.db, receipt, ctx.clock.now()),
    remaining: remaining.value,
    returns: previous.map((r) => ({
      returnId: r.returnId,
      createdAt: r.createdAt,
      refundMoney: own.get(r.returnId)?.calculation.totals.refundMoney ?? null,
    })),
  });
}

function compute(
  ctx: TerminalContext,
  args: ReturnArgs,
): Result<{ receipt: StoredReceipt; result: ReturnCalculation }, Problem> {
  const source = returnSource(ctx, args.receiptId);
  if (!source) return notFound();
  const result = calculateReturn(
    returnBasisFromCalculation(source.receipt.calculation),
    source.previous.map((r) => ({ lines: r.lines })),
    { lines: args.lines },
  );
  if (!result.ok) return err(result.error);
  return ok({ receipt: source.receipt, result: result.value });
}

/** `return.calculate`: what the return gives back and takes back; nothing is written. */
export function calculateReturnAtTill(
  ctx: TerminalContext,
  args: ReturnArgs,
): HandlerResult<ReturnCalculation> {
  const computed = compute(ctx, args);
  return computed.ok ? ok(computed.value.result) : computed;
}

function slipOf(ctx: TerminalContext, ret: StoredReturn, receipt: StoredReceipt): ReturnSlip {
  return {
    returnId: ret.id,
    receiptId: receipt.id,
    receiptNumber: receipt.number,
    seq: ret.seq,
    createdAt: ret.createdAt,
    calculation: ret.calculation,
    lines: ret.calculation.lines.map((line) => ({
      index: line.index,
      name: receipt.request.names[line.index] ?? '',
      quantity: line.quantity,
    })),
  };
}

/** `return.commit`: books the return with its op and point movements in one transaction. */
export function commitReturn(ctx: TerminalContext, args: CommitReturnArgs): HandlerResult<ReturnSlip> {
  const cashier = ctx.session.current();
  if (!cashier)
    return fail(TerminalError.notLoggedIn, 'Кассир не вошёл в систему: введите код доступа кассира.');
  // Returns give money back (A7): the core refuses them to anyone but a senior cashier, since
  // the handler map is also the local integration endpoint, not only the cashier's screen.
  if (cashier.role !== 'senior')
    return fail(
      TerminalError.seniorRequired,
      'Возврат оформляет старший кассир: попросите его войти со своим кодом доступа.',
    );
  const { idempotencyKey, ...request } = args;
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  if (idempotencyKey !== undefined) {
    const replay = getReturnByKey(ctx.db, idempotencyKey);
    if (replay) {
      const receipt = returnSource(ctx, replay.receiptId)?.receipt;
      if (replay.requestHash !== requestHash || !receipt)
        return fail(
          TerminalError.idempotencyConflict,
          'Этот ключ идемпотентности уже использован для другого возврата.',
        );
      return ok(slipOf(ctx, replay, receipt));
    }
  }
  const booked = ctx.db.transaction((): HandlerResult<ReturnSlip> => {
    const computed = compute(ctx, request);
    if (!computed.ok) return computed;
    const { receipt, result } = computed.value;
    const now = ctx.clock.now();
    const returnId = uuidv7(now);
    const payload: ReturnPayload = {
      returnId,
      receiptId: receipt.id,
      lines: request.lines,
      cashierId: cashier.cashierId,
    };
    const { seq } = enqueueOp(ctx.db, { kind: 'return', payload, occurredAt: now }, ctx.clock.deviceNow());
    const stored: StoredReturn = {
      id: returnId,
      seq,
      receiptId: receipt.id,
      idempotencyKey: idempotencyKey ?? null,
      requestHash,
      cashierId: cashier.cashierId,
      lines: request.lines,
      calculation: result,
      createdAt: now,
    };
    insertReturn(ctx.db, stored);
    if (receipt.buyerId) {
      // Referral rewards went to other buyers; only the buyer's own receipt-level accruals count here.
      const ownReversed = result.receiptAccrualsReversed
        .filter((a) => !a.key.startsWith('referral:'))
        .reduce((sum, a) => sum + a.points, 0);
      recordMovements(
        ctx.db,
        seq,
        [
          { buyerId: receipt.buyerId, kind: 'restore', points: result.totals.pointsRestored },
          { buyerId: receipt.buyerId, kind: 'reversal', points: result.totals.accrualReversed + ownReversed },
        ],
        !ctx.sync.isOnline(),
        now,
      );
    }
    return ok(slipOf(ctx, stored, receipt));
  })();
  if (booked.ok) {
    ctx.sync.requestPush();
    ctx.events.emit('return', { returnId: booked.value.returnId });
  }
  return booked;
}

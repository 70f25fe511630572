import { afterEach, describe, expect, it } from 'vitest';
import { returnPayloadSchema } from '@loyalty/protocol/sync/push.schema';
import { BUYER_ID, MILK_ID, readyTerminal, SENIOR_CODE, type TestTerminal } from '#test/terminal-fixture.ts';
import { pendingOps } from '#core/store/outbox.repository.ts';

let terminal: TestTerminal | undefined;
afterEach(async () => {
  await terminal?.cleanup();
  terminal = undefined;
});

describe('returns at the till (A7)', () => {
  it('finds the receipt, splits partial returns exactly and queues each as an op', async () => {
    terminal = await readyTerminal();
    const sale = await terminal.handlers['sale.commit']({
      buyerId: BUYER_ID,
      lines: [{ productId: MILK_ID, quantity: 3000 }],
      pointsToPay: 100_00,
    });
    if (!sale.ok) throw new Error(sale.error.message);
    const found = await terminal.handlers['return.find']({ number: sale.value.number });
    expect(found.ok && found.value.remaining).toEqual([3000]);

    const preview = await terminal.handlers['return.calculate']({
      receiptId: sale.value.receiptId,
      lines: [{ index: 0, quantity: 1000 }],
    });
    if (!preview.ok) throw new Error(preview.error.message);
    // The cashier on duty may look and calculate, but only a senior cashier books the return.
    const refused = await terminal.handlers['return.commit']({
      receiptId: sale.value.receiptId,
      lines: [{ index: 0, quantity: 1000 }],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'senior_required' } });
    expect((await terminal.handlers['cashier.login']({ code: SENIOR_CODE })).ok).toBe(true);
    const first = await terminal.handlers['return.commit']({
      receiptId: sale.value.receiptId,
      lines: [{ index: 0, quantity: 1000 }],
    });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.calculation).toEqual(preview.value);
    const rest = await terminal.handlers['return.commit']({
      receiptId: sale.value.receiptId,
      lines: [{ index: 0, quantity: 2000 }],
    });
    if (!rest.ok) throw new Error(rest.error.message);
    const refund = first.value.calculation.totals.refundMoney + rest.value.calculation.totals.refundMoney;
    const restored =
      first.value.calculation.totals.pointsRestored + rest.value.calculation.totals.pointsRestored;
    expect(refund).toBe(sale.value.totals.paidMoney);
    expect(restored).toBe(100_00);
    expect(rest.value.calculation.fullyReturned).toBe(true);

    const tooMuch = await terminal.handlers['return.calculate']({
      receiptId: sale.value.receiptId,
      lines: [{ index: 0, quantity: 1 }],
    });
    expect(!tooMuch.ok && tooMuch.error.code).toBe('invalid_return');
    const ops = pendingOps(terminal.ctx.db, 10);
    expect(ops.map((o) => [o.seq, o.kind])).toEqual([
      [1, 'receipt'],
      [2, 'return'],
      [3, 'return'],
    ]);
    expect(returnPayloadSchema.safeParse(ops[1]?.payload).success).toBe(true);
  });

  it('says a receipt of another till is not here', async () => {
    terminal = await readyTerminal();
    const missing = await terminal.handlers['return.find']({ number: '999' });
    expect(!missing.ok && missing.error.code).toBe('receipt_not_found');
  });
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { syncOpSchema } from '@loyalty/protocol/sync/push.schema';
import {
  BREAD_ID,
  BUYER_ID,
  CASHIER_CODE,
  MILK_BARCODE,
  MILK_ID,
  openTerminal,
  readyTerminal,
  seedCaches,
  T0,
  type TestTerminal,
} from '#test/terminal-fixture.ts';
import { getIdentity } from '#core/store/identity.repository.ts';
import { pendingOps } from '#core/store/outbox.repository.ts';
import { commitSale } from './sale-commit.ts';
import { commitArgsSchema } from './sale.schema.ts';

const run = promisify(execFile);
let terminal: TestTerminal | undefined;
afterEach(async () => {
  await terminal?.cleanup();
  terminal = undefined;
});

const counts = (t: TestTerminal) =>
  t.ctx.db
    .prepare<[], { receipts: number; lines: number; ops: number; movements: number }>(
      `SELECT (SELECT count(*) FROM receipts) AS receipts, (SELECT count(*) FROM receipt_lines) AS lines,
              (SELECT count(*) FROM outbox) AS ops, (SELECT count(*) FROM local_point_movements) AS movements`,
    )
    .get();

describe('sale.commit', () => {
  it('writes the receipt, its lines, the outbox op and the local spend together', async () => {
    terminal = await readyTerminal();
    const result = await terminal.handlers['sale.commit']({
      buyerId: BUYER_ID,
      identifiedBy: 'phone',
      lines: [
        { barcode: MILK_BARCODE, quantity: 2000 },
        { productId: BREAD_ID, quantity: 1000 },
      ],
      pointsToPay: 100_00,
    });
    if (!result.ok) throw new Error(result.error.message);
    const slip = result.value;
    expect(slip.seq).toBe(1);
    expect(slip.number).toBe('1');
    expect(slip.offline).toBe(true);
    expect(slip.totals.amount).toBe(2 * 89_90 + 45_00);
    expect(slip.totals.pointsPaid).toBe(100_00);
    expect(slip.lines.map((l) => l.name)).toEqual(['Молоко 3,2% 1 л', 'Хлеб Бородинский']);
    expect(slip.points?.available).toBe(400_00);
    expect(counts(terminal)).toEqual({ receipts: 1, lines: 2, ops: 1, movements: 2 });

    const [op] = pendingOps(terminal.ctx.db, 10);
    // What goes to the server passes the protocol's own schema.
    const parsed = syncOpSchema.safeParse({ ...op, payload: op?.payload });
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(op).toMatchObject({ seq: 1, kind: 'receipt', status: 'pending' });
    expect(op?.payload).toMatchObject({
      receiptId: slip.receiptId,
      buyerId: BUYER_ID,
      pointsToPay: 100_00,
      offline: true,
    });
  });

  it('rolls everything back when the transaction fails halfway, and reuses no number', async () => {
    terminal = await readyTerminal();
    const args = commitArgsSchema.parse({ lines: [{ productId: MILK_ID, quantity: 1000 }] });
    await expect(
      commitSale(terminal.ctx, args, () => {
        throw new Error('power cut');
      }),
    ).rejects.toThrow('power cut');
    expect(counts(terminal)).toEqual({ receipts: 0, lines: 0, ops: 0, movements: 0 });
    expect(getIdentity(terminal.ctx.db).nextSeq).toBe(1);
    const next = await commitSale(terminal.ctx, args);
    expect(next.ok && next.value.seq).toBe(1);
  });

  it('survives SIGKILL inside the transaction: the committed receipt stays whole, the killed one leaves nothing', async () => {
    terminal = openTerminal();
    await seedCaches(terminal, T0);
    const dir = terminal.dir;
    await terminal.close();
    const child = run(
      process.execPath,
      [
        '--import',
        'tsx',
        new URL('../../../test/crash-commit.script.ts', import.meta.url).pathname,
        dir,
        CASHIER_CODE,
      ],
      { cwd: new URL('../../..', import.meta.url).pathname },
    );
    await expect(child).rejects.toMatchObject({ signal: 'SIGKILL' });
    terminal = openTerminal(dir);
    expect(counts(terminal)).toEqual({ receipts: 1, lines: 1, ops: 1, movements: 0 });
    expect(getIdentity(terminal.ctx.db).nextSeq).toBe(2);
    await terminal.handlers['cashier.login']({ code: CASHIER_CODE });
    const after = await terminal.handlers['sale.commit']({
      lines: [{ productId: BREAD_ID, quantity: 1000 }],
    });
    expect(after.ok && after.value.seq).toBe(2);
  });

  it('never reuses a sequence number, across kinds of ops and restarts', async () => {
    terminal = await readyTerminal();
    const seqs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const sale = await terminal.handlers['sale.commit']({
        lines: [{ productId: MILK_ID, quantity: 1000 }],
      });
      if (!sale.ok) throw new Error(sale.error.message);
      seqs.push(sale.value.seq);
    }
    const registered = await terminal.handlers['buyer.register']({ phone: '+7 912 000-11-22' });
    expect(registered.ok).toBe(true);
    const dir = terminal.dir;
    const clock = terminal.clock;
    await terminal.close();
    terminal = openTerminal(dir, clock);
    await terminal.handlers['cashier.login']({ code: CASHIER_CODE });
    const again = await terminal.handlers['sale.commit']({
      lines: [{ productId: BREAD_ID, quantity: 1000 }],
    });
    if (!again.ok) throw new Error(again.error.message);
    seqs.push(again.value.seq);
    expect(seqs).toEqual([1, 2, 3, 5]);
    const all = terminal.ctx.db.prepare<[], { seq: number }>('SELECT seq FROM outbox ORDER BY seq').all();
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('answers a retried commit with the same receipt, and refuses the key for another receipt', async () => {
    terminal = await readyTerminal();
    const args = { idempotencyKey: 'till-42-0001', lines: [{ productId: MILK_ID, quantity: 1000 }] };
    const first = await terminal.handlers['sale.commit'](args);
    const second = await terminal.handlers['sale.commit'](args);
    expect(first.ok && second.ok && second.value.receiptId === first.value.receiptId).toBe(true);
    expect(counts(terminal)?.receipts).toBe(1);
    const other = await terminal.handlers['sale.commit']({
      ...args,
      lines: [{ productId: BREAD_ID, quantity: 1000 }],
    });
    expect(!other.ok && other.error.code).toBe('idempotency_conflict');
  });

  it('needs a cashier, and refuses when the result differs from what the cashier saw', async () => {
    terminal = await readyTerminal();
    const changed = await terminal.handlers['sale.commit']({
      lines: [{ productId: MILK_ID, quantity: 1000 }],
      expected: { paidMoney: 1, pointsPaid: 0 },
    });
    expect(!changed.ok && changed.error.code).toBe('calculation_changed');
    await terminal.handlers['cashier.logout']({});
    const refused = await terminal.handlers['sale.commit']({
      lines: [{ productId: MILK_ID, quantity: 1000 }],
    });
    expect(!refused.ok && refused.error).toMatchObject({ code: 'not_logged_in' });
    expect(counts(terminal)?.receipts).toBe(0);
  });
});

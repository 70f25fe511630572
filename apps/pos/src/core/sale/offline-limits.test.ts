import { afterEach, describe, expect, it } from 'vitest';
import {
  BUYER_ID,
  buyer,
  defaultLimits,
  MILK_ID,
  readyTerminal,
  T0,
  type TestTerminal,
} from '#test/terminal-fixture.ts';
import { setClockOffset } from '#core/store/identity.repository.ts';
import { offlineAllowance, OfflineLimitReason, type OfflineFacts } from './offline-limits.ts';

const HOUR = 3_600_000;
const facts = (overrides: Partial<OfflineFacts> = {}): OfflineFacts => ({
  limits: defaultLimits,
  deviceNow: T0,
  lastSyncAt: T0,
  clockOffsetMs: 0,
  now: T0,
  snapshotAt: T0,
  buyerSpentToday: 0,
  terminalUnacknowledged: 0,
  ...overrides,
});

describe('offlineAllowance', () => {
  it('refuses without settings, without a sync, with a skewed clock, too long offline or a stale snapshot', () => {
    const cases: Array<[Partial<OfflineFacts>, string]> = [
      [{ limits: null }, OfflineLimitReason.noSettings],
      [{ lastSyncAt: null }, OfflineLimitReason.neverSynced],
      [{ clockOffsetMs: 6 * 60_000 }, OfflineLimitReason.clockSkew],
      [{ deviceNow: T0 + 73 * HOUR, now: T0 + 73 * HOUR }, OfflineLimitReason.offlineTooLong],
      [{ now: T0 + 25 * HOUR, deviceNow: T0 + 25 * HOUR }, OfflineLimitReason.snapshotTooOld],
    ];
    for (const [input, code] of cases) {
      const allowance = offlineAllowance(facts(input));
      expect(allowance.maxPoints, code).toBe(0);
      expect(allowance.reason?.code).toBe(code);
      expect(allowance.reason?.message).toMatch(/^Оплата баллами без связи недоступна/);
    }
  });

  it('lets the tightest cap win and says which', () => {
    const limits = {
      ...defaultLimits,
      maxPointsPerReceipt: 300_00,
      maxPointsPerBuyerPerDay: 500_00,
      maxPointsPerTerminalSinceSync: 1000_00,
    };
    expect(offlineAllowance(facts({ limits }))).toMatchObject({
      maxPoints: 300_00,
      reason: { code: 'per_receipt' },
    });
    expect(offlineAllowance(facts({ limits, buyerSpentToday: 400_00 }))).toMatchObject({
      maxPoints: 100_00,
      reason: { code: 'per_buyer_per_day' },
    });
    expect(offlineAllowance(facts({ limits, terminalUnacknowledged: 950_00 }))).toMatchObject({
      maxPoints: 50_00,
      reason: { code: 'per_terminal_since_sync' },
    });
    expect(offlineAllowance(facts())).toEqual({ maxPoints: Number.MAX_SAFE_INTEGER, reason: null });
  });
});

describe('offline sale with points', () => {
  let terminal: TestTerminal | undefined;
  afterEach(async () => {
    await terminal?.cleanup();
    terminal = undefined;
  });
  const sale = (pointsToPay: number | 'max') => ({
    buyerId: BUYER_ID,
    lines: [{ productId: MILK_ID, quantity: 10_000 }],
    pointsToPay,
  });

  it('caps "max" at the per-receipt limit and refuses more with the reason in Russian', async () => {
    terminal = await readyTerminal({ limits: { ...defaultLimits, maxPointsPerReceipt: 200_00 } });
    const max = await terminal.handlers['sale.calculate'](sale('max'));
    if (!max.ok) throw new Error(max.error.message);
    expect(max.value.offline).toBe(true);
    expect(max.value.calculation.pointsPayment.applied).toBe(200_00);
    expect(max.value.offlineLimit?.reason?.code).toBe('per_receipt');
    const more = await terminal.handlers['sale.calculate'](sale(300_00));
    expect(!more.ok && more.error).toMatchObject({
      code: 'offline_redemption_refused',
      message: expect.stringContaining('не больше 200.00 за чек') as unknown,
      details: { maxPoints: 200_00, reason: 'per_receipt' },
    });
  });

  it('counts the buyer day and the terminal exposure across receipts until the server answers', async () => {
    terminal = await readyTerminal({
      limits: { ...defaultLimits, maxPointsPerBuyerPerDay: 250_00, maxPointsPerTerminalSinceSync: 400_00 },
    });
    const first = await terminal.handlers['sale.commit'](sale(200_00));
    expect(first.ok).toBe(true);
    const second = await terminal.handlers['sale.calculate'](sale('max'));
    if (!second.ok) throw new Error(second.error.message);
    expect(second.value.calculation.pointsPayment.applied).toBe(50_00);
    expect(second.value.offlineLimit?.reason?.code).toBe('per_buyer_per_day');
    // Local spends are held back from the snapshot: 500 - 200 spent here.
    expect(second.value.points?.available).toBe(300_00);
  });

  it('shows points accrued offline as pending, never spendable', async () => {
    terminal = await readyTerminal({ buyers: [buyer(0)] });
    const bought = await terminal.handlers['sale.commit'](sale(0));
    if (!bought.ok) throw new Error(bought.error.message);
    expect(bought.value.totals.accrual).toBeGreaterThan(0);
    expect(bought.value.points).toMatchObject({
      available: 0,
      unconfirmedAccrued: bought.value.totals.accrual,
    });
    const next = await terminal.handlers['sale.calculate'](sale('max'));
    expect(next.ok && next.value.calculation.pointsPayment.applied).toBe(0);
  });

  it('refuses all redemption when the clock skew is beyond the setting, or the snapshot is stale', async () => {
    terminal = await readyTerminal();
    setClockOffset(terminal.ctx.db, 10 * 60_000, T0);
    const skewed = await terminal.handlers['sale.calculate'](sale(10_00));
    expect(!skewed.ok && skewed.error.details).toMatchObject({ reason: 'clock_skew' });
    setClockOffset(terminal.ctx.db, 0, T0);
    terminal.clock.advance(25 * HOUR);
    const stale = await terminal.handlers['sale.calculate'](sale(10_00));
    expect(!stale.ok && stale.error.details).toMatchObject({ reason: 'snapshot_too_old' });
    // Without points the sale goes on.
    expect((await terminal.handlers['sale.calculate'](sale(0))).ok).toBe(true);
  });
});

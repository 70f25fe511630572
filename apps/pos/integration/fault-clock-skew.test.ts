// Terminal clocks that are wrong by minutes or days (an injected device clock against the real
// server). The terminal measures its offset at every sync, sends corrected instants, refuses
// offline redemption beyond `maxClockSkewMinutes` with a Russian reason, and its receipts still
// reach the server once each and in sequence order, however the device clock jumps meanwhile.
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/test-app.ts';
import { setServerUrl } from '../src/core/store/identity.repository.ts';
import type { TerminalCore } from '../src/core/terminal-core.ts';
import {
  expectRecovered,
  faultShop,
  pairedCore,
  PRODUCT_SKU,
  sell,
  syncOrThrow,
  terminalIdOf,
  type FaultShop,
} from './fault-fixture.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const DEAD_SERVER = 'http://127.0.0.1:9';

let t: TestApp;
let s: FaultShop;
let serverUrl: string;
let core: (TerminalCore & { dir: string }) | undefined;
/** How far the device clock is ahead of the real time (negative: behind). */
let skew = 0;

beforeAll(async () => {
  t = await createTestApp();
  s = await faultShop(t);
  serverUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});

afterEach(async () => {
  await core?.close();
  if (core) rmSync(core.dir, { recursive: true, force: true });
  core = undefined;
});

afterAll(async () => {
  await t?.close();
});

const skewedCore = async (by: number) => {
  skew = by;
  core = await pairedCore(s, serverUrl, { deviceNow: () => Date.now() + skew });
  return core;
};

const offsetOf = (terminal: TerminalCore) => terminal.ctx.sync.state().clockOffsetMs;

/** Cuts the terminal off (the next call fails, so it is offline) or reconnects it. */
async function goOffline(terminal: TerminalCore): Promise<void> {
  setServerUrl(terminal.ctx.db, DEAD_SERVER);
  const failed = await terminal.handlers['sync.now']({});
  expect(!failed.ok && failed.error.code).toBe('server_unreachable');
}

const payWithPoints = (terminal: TerminalCore, buyerId: string) =>
  terminal.handlers['sale.commit']({
    buyerId,
    identifiedBy: 'manual',
    lines: [{ productId: PRODUCT_SKU, quantity: 1000 }],
    pointsToPay: 10_00,
  });

describe('clock skew', () => {
  it('minutes: measured at sync; offline points allowed within the setting, refused beyond it', async () => {
    const terminal = await skewedCore(2 * MINUTE);
    const buyerId = s.buyerIds[0] ?? '';
    expect(Math.abs(offsetOf(terminal) + 2 * MINUTE)).toBeLessThan(2_000);
    await goOffline(terminal);
    const within = await payWithPoints(terminal, buyerId);
    expect(within.ok && within.value.offline).toBe(true);

    // The clock drifts to 7 minutes ahead; the next sync measures it (the setting is 5).
    skew = 7 * MINUTE;
    setServerUrl(terminal.ctx.db, serverUrl);
    await syncOrThrow(terminal);
    expect(Math.abs(offsetOf(terminal) + 7 * MINUTE)).toBeLessThan(2_000);
    // Online the server decides (a hold), so the skew does not matter there.
    const online = await payWithPoints(terminal, buyerId);
    expect(online.ok && online.value.offline).toBe(false);
    await goOffline(terminal);
    const refused = await payWithPoints(terminal, buyerId);
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'offline_redemption_refused',
      message: expect.stringMatching(
        /часы терминала расходятся с сервером на 7 мин \(допустимо 5\)/,
      ) as unknown,
      details: { reason: 'clock_skew' },
    });
    // Selling without points goes on offline.
    await sell(terminal, buyerId);
    setServerUrl(terminal.ctx.db, serverUrl);
    await syncOrThrow(terminal);
    await expectRecovered(t.db, terminal, s.buyerIds);
  });

  it('days, jumping while offline: sent with corrected times, booked once in sequence order', async () => {
    const terminal = await skewedCore(-3 * DAY);
    const [a, b] = s.buyerIds as [string, string];
    expect(Math.abs(offsetOf(terminal) - 3 * DAY)).toBeLessThan(2_000);
    await goOffline(terminal);
    const refused = await payWithPoints(terminal, a);
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'offline_redemption_refused',
      message: expect.stringContaining('Исправьте время на компьютере') as unknown,
      details: { reason: 'clock_skew' },
    });
    // Offline sales while someone "fixes" the device clock to two days ahead and back.
    const realTimes: number[] = [];
    for (const deviceSkew of [-3 * DAY, 2 * DAY, -3 * DAY, 2 * DAY]) {
      skew = deviceSkew;
      realTimes.push(Date.now());
      await sell(terminal, realTimes.length % 2 === 0 ? a : b);
    }
    skew = 2 * DAY;
    setServerUrl(terminal.ctx.db, serverUrl);
    await syncOrThrow(terminal);
    expect(Math.abs(offsetOf(terminal) + 2 * DAY)).toBeLessThan(2_000);

    const ops = await t.db
      .selectFrom('sync_ops')
      .select(['seq', 'occurred_at'])
      .where('terminal_id', '=', terminalIdOf(terminal))
      .where('kind', '=', 'receipt')
      .orderBy('seq')
      .execute();
    const times = ops.map((op) => new Date(op.occurred_at ?? 0).getTime());
    // The first sale carried the corrected time; the ones after the jumps carry the device's
    // idea of it (off by five days), so time order and sequence order disagree on the server.
    expect(Math.abs((times[0] ?? 0) - (realTimes[0] ?? 0))).toBeLessThan(MINUTE);
    expect(Math.abs((times[1] ?? 0) - (realTimes[1] ?? 0) - 5 * DAY)).toBeLessThan(MINUTE);
    expect(times[2]).toBeLessThan(times[1] ?? 0);
    await expectRecovered(t.db, terminal, s.buyerIds);
  });
});

// The till's side of the contract additions against the real server (SYNC.md): a reinstalled till
// continues its sequence, the QR key arrives with the settings, the push answer refreshes the
// buyer's balance, coupons are priced with the server's counters (online and then offline), and
// a receipt sold at another till is found online and returned here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/test-app.ts';
import { shop, type Shop } from '../../server/src/sync/sync.test-helper.ts';
import { getSettings } from '../src/core/store/cache-settings.repository.ts';
import { getIdentity, setServerUrl } from '../src/core/store/identity.repository.ts';
import { createTerminalCore, type TerminalCore } from '../src/core/terminal-core.ts';

let t: TestApp;
let s: Shop;
let serverUrl: string;
let buyerId: string;
const dirs: string[] = [];
const cores: TerminalCore[] = [];
const CODE = '135790';

beforeAll(async () => {
  t = await createTestApp();
  s = await shop(t);
  serverUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  for (const [sku, price] of [
    ['MILK-1', 100_00],
    ['CHEESE-1', 400_00],
  ] as const)
    expect((await s.owner.request('POST', '/api/v1/products', { sku, name: sku, price })).statusCode).toBe(
      201,
    );
  const cashier = await s.owner.request('POST', '/api/v1/cashiers', {
    name: 'Кассир',
    // A senior: these tills also book returns, which only a senior cashier may do.
    role: 'senior',
    storeId: s.storeId,
    code: CODE,
  });
  expect(cashier.statusCode, cashier.body).toBe(201);
  const buyer = await s.owner.request('POST', '/api/v1/buyers', { phone: '+79161112233' });
  buyerId = buyer.json<{ id: string }>().id;
  await s.owner.request('POST', `/api/v1/buyers/${buyerId}/points`, {
    operation: 'accrue',
    points: 500_00,
    reason: 'Стартовый баланс',
  });
});

afterAll(async () => {
  for (const core of cores) await core.close();
  await t?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A new till (its own SQLite in a temp folder) paired with a fresh code of terminal `id`. */
async function till(id?: string): Promise<{ core: TerminalCore; terminalId: string }> {
  const created = id
    ? await s.owner.request('POST', `/api/v1/terminals/${id}/pairing-code`)
    : await s.owner.request('POST', '/api/v1/terminals', {
        storeId: s.storeId,
        name: `Касса ${cores.length + 1}`,
      });
  expect(created.statusCode, created.body).toBeLessThan(300);
  const { pairingCode } = created.json<{ pairingCode: string }>();
  const dir = mkdtempSync(join(tmpdir(), 'pos-contract-'));
  dirs.push(dir);
  const core = createTerminalCore({ dataDir: dir, autoSync: false });
  cores.push(core);
  const paired = await core.handlers['pairing.pair']({ code: pairingCode, serverUrl });
  if (!paired.ok) throw new Error(JSON.stringify(paired.error));
  const synced = await core.handlers['sync.now']({});
  if (!synced.ok) throw new Error(JSON.stringify(synced.error));
  expect((await core.handlers['cashier.login']({ code: CODE })).ok).toBe(true);
  return { core, terminalId: paired.value.terminalId };
}

const sell = async (core: TerminalCore, productId: string, pointsToPay = 0, coupons: string[] = []) => {
  const sale = await core.handlers['sale.commit']({
    buyerId,
    identifiedBy: 'phone',
    lines: [{ productId, quantity: 1000 }],
    pointsToPay,
    coupons,
  });
  if (!sale.ok) throw new Error(JSON.stringify(sale.error));
  return sale.value;
};

describe('contract additions at the till', () => {
  it('a reinstalled till continues above the last seq the server applied, and has the QR key', async () => {
    const first = await till();
    expect(getSettings(first.core.ctx.db)?.qrPublicKey).toMatch(/^[\w-]{43}$/);
    await first.core.handlers['buyer.identify']({ buyerId });
    await sell(first.core, 'MILK-1');
    await sell(first.core, 'MILK-1');
    expect((await first.core.handlers['sync.now']({})).ok).toBe(true);
    // The same terminal on an empty database (the till was reinstalled).
    const again = await till(first.terminalId);
    expect(getIdentity(again.core.ctx.db).nextSeq).toBe(3);
    await again.core.handlers['buyer.identify']({ buyerId });
    await sell(again.core, 'MILK-1');
    const pushed = await again.core.handlers['sync.status']({});
    expect((await again.core.handlers['sync.now']({})).ok).toBe(true);
    expect(pushed.ok && pushed.value.queuedOps).toBe(1);
    const after = await again.core.handlers['sync.status']({});
    expect(after.ok && after.value).toMatchObject({ queuedOps: 0, conflicts: 0, deadLetters: 0 });
  });

  it('writes the balance of the push answer into the buyer cache at once', async () => {
    const { core } = await till();
    await core.handlers['buyer.identify']({ buyerId });
    const slip = await sell(core, 'MILK-1', 10_00);
    // Push only: no pull of the buyers stream.
    core.ctx.sync.requestPush();
    const pushed = await core.ctx.sync.syncNow({ pullStreams: [] });
    expect(pushed.ok).toBe(true);
    const server = await t.db
      .selectFrom('buyers')
      .select('balance')
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    const seen = await core.handlers['buyer.identify']({ buyerId });
    if (!seen.ok) throw new Error(seen.error.message);
    expect(seen.value.points).toMatchObject({
      snapshotBalance: Number(server.balance),
      unconfirmedSpent: 0,
      unconfirmedAccrued: 0,
      appliedSeq: slip.seq,
    });
  });

  it('prices a coupon with the server counters online, and with its own uses offline', async () => {
    const promo = await s.owner.request('POST', '/api/v1/promotions', {
      name: 'Минус 10% по купону',
      effect: { kind: 'discount_percent', percent: 1000 },
    });
    const series = await s.owner.request('POST', '/api/v1/coupon-series', {
      name: 'Один раз на покупателя',
      promotionId: promo.json<{ id: string }>().id,
      usage: 'multi',
      maxUsesPerBuyer: 1,
      codes: { kind: 'shared', code: 'ONCE10' },
    });
    expect(series.statusCode, series.body).toBe(201);
    const { core } = await till();
    await core.handlers['buyer.identify']({ buyerId });
    const calc = await core.handlers['sale.calculate']({
      buyerId,
      lines: [{ productId: 'CHEESE-1', quantity: 1000 }],
      coupons: ['once 10'],
    });
    if (!calc.ok) throw new Error(JSON.stringify(calc.error));
    expect(calc.value.calculation.totals.discount).toBe(40_00);
    await sell(core, 'CHEESE-1', 0, ['ONCE10']);
    // Offline now: the kept counters plus this till's own use refuse a second use by the buyer.
    setServerUrl(core.ctx.db, 'http://127.0.0.1:9');
    expect((await core.handlers['sync.now']({})).ok).toBe(false);
    const second = await core.handlers['sale.calculate']({
      buyerId,
      lines: [{ productId: 'CHEESE-1', quantity: 1000 }],
      coupons: ['ONCE10'],
    });
    if (!second.ok) throw new Error(JSON.stringify(second.error));
    expect(second.value.calculation.totals.discount).toBe(0);
    expect(second.value.calculation.coupons.rejected).toEqual([
      {
        code: 'ONCE10',
        reason: 'buyer_limit_reached',
        message: 'Покупатель уже применил купоны этой серии наибольшее число раз (1): уберите купон из чека',
      },
    ]);
    setServerUrl(core.ctx.db, serverUrl);
    expect((await core.handlers['sync.now']({})).ok).toBe(true);
  });

  it('finds a receipt of another till online and returns it here, once', async () => {
    const seller = await till();
    await seller.core.handlers['buyer.identify']({ buyerId });
    const sold = await sell(seller.core, 'CHEESE-1', 20_00);
    expect((await seller.core.handlers['sync.now']({})).ok).toBe(true);

    const other = await till();
    const found = await other.core.handlers['return.find']({ receiptId: sold.receiptId });
    if (!found.ok) throw new Error(JSON.stringify(found.error));
    expect(found.value.remaining).toEqual([1000]);
    expect(found.value.receipt.lines[0]).toMatchObject({ name: 'CHEESE-1', quantity: 1000 });
    const done = await other.core.handlers['return.commit']({
      receiptId: sold.receiptId,
      lines: [{ index: 0, quantity: 1000 }],
    });
    if (!done.ok) throw new Error(JSON.stringify(done.error));
    expect(done.value.calculation.totals.pointsRestored).toBe(20_00);
    // Nothing left to return, before and after the push.
    const again = await other.core.handlers['return.calculate']({
      receiptId: sold.receiptId,
      lines: [{ index: 0, quantity: 1000 }],
    });
    expect(again.ok).toBe(false);
    expect((await other.core.handlers['sync.now']({})).ok).toBe(true);
    const status = await other.core.handlers['sync.status']({});
    expect(status.ok && status.value).toMatchObject({ queuedOps: 0, deadLetters: 0 });
    const refound = await other.core.handlers['return.find']({ receiptId: sold.receiptId });
    expect(refound.ok && refound.value.remaining).toEqual([0]);
    const returns = await t.db
      .selectFrom('receipt_returns')
      .select('id')
      .where('receipt_id', '=', sold.receiptId)
      .execute();
    expect(returns).toHaveLength(1);
    // An unknown number is "not found", in Russian.
    const missing = await other.core.handlers['return.find']({ number: '999999' });
    expect(!missing.ok && missing.error.code).toBe('receipt_not_found');
  });
});

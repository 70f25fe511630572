// The terminal core against the real server over real HTTP: pairing, the first pull of every
// stream, cashier login from the pulled hash, a sale online with a hold, sales offline within the
// limits, the push of the outbox in seq order, and the balances agreeing afterwards (B1-B3).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/test-app.ts';
import { shop, type Shop } from '../../server/src/sync/sync.test-helper.ts';
import { setServerUrl } from '../src/core/store/identity.repository.ts';
import { createTerminalCore, type TerminalCore } from '../src/core/terminal-core.ts';

let t: TestApp;
let s: Shop;
let serverUrl: string;
let core: TerminalCore;
let dir: string;
let buyerId: string;
const PHONE = '+79161234567';
const CODE = '482916';

beforeAll(async () => {
  t = await createTestApp();
  s = await shop(t);
  serverUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const product = await s.owner.request('POST', '/api/v1/products', {
    sku: 'MILK-1',
    name: 'Молоко',
    price: 100_00,
  });
  expect(product.statusCode, product.body).toBe(201);
  const cashier = await s.owner.request('POST', '/api/v1/cashiers', {
    name: 'Смирнова',
    storeId: s.storeId,
    code: CODE,
  });
  expect(cashier.statusCode, cashier.body).toBe(201);
  const buyer = await s.owner.request('POST', '/api/v1/buyers', { phone: PHONE, firstName: 'Вера' });
  expect(buyer.statusCode, buyer.body).toBe(201);
  buyerId = buyer.json<{ id: string }>().id;
  const points = await s.owner.request('POST', `/api/v1/buyers/${buyerId}/points`, {
    operation: 'accrue',
    points: 300_00,
    reason: 'Стартовый баланс',
  });
  expect(points.statusCode, points.body).toBe(200);
  dir = mkdtempSync(join(tmpdir(), 'pos-sync-'));
  core = createTerminalCore({ dataDir: dir, autoSync: false });
});

afterAll(async () => {
  await core?.close();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const serverBalance = async () =>
  await t.db
    .selectFrom('buyers')
    .select(['balance', 'debt'])
    .where('id', '=', buyerId)
    .executeTakeFirstOrThrow();

describe('terminal <-> server sync', () => {
  it('pairs with a code from the cabinet, refuses it twice, and pulls every stream', async () => {
    const created = await s.owner.request('POST', '/api/v1/terminals', {
      storeId: s.storeId,
      name: 'Касса 1',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { pairingCode, id } = created.json<{ pairingCode: string; id: string }>();
    const paired = await core.handlers['pairing.pair']({
      code: pairingCode,
      serverUrl,
      deviceName: 'till-01',
    });
    expect(paired.ok && paired.value).toMatchObject({ terminalId: id, storeId: s.storeId });
    const again = await core.handlers['pairing.pair']({ code: pairingCode, serverUrl });
    expect(!again.ok && again.error.code).toBe('pairing_refused');

    const synced = await core.handlers['sync.now']({});
    if (!synced.ok) throw new Error(JSON.stringify(synced.error));
    expect(synced.value.pulled).toMatchObject({ settings: 1, rules: 1, cashiers: 1, products: 1 });
    const status = await core.handlers['terminal.status']({});
    expect(status.ok && status.value).toMatchObject({
      pairing: 'paired',
      online: true,
      store: { id: s.storeId, name: 'Магазин 1' },
      cache: { products: 1, cashiers: 1 },
    });
  });

  it('logs the cashier in from the pulled hash and sells online with a hold', async () => {
    expect((await core.handlers['cashier.login']({ code: CODE })).ok).toBe(true);
    const identified = await core.handlers['buyer.identify']({ phone: '8 916 123-45-67' });
    if (!identified.ok) throw new Error(identified.error.message);
    expect(identified.value.points.available).toBe(300_00);
    const sale = await core.handlers['sale.commit']({
      buyerId,
      identifiedBy: 'phone',
      lines: [{ productId: 'MILK-1', quantity: 1000 }],
      pointsToPay: 50_00,
    });
    if (!sale.ok) throw new Error(JSON.stringify(sale.error));
    expect(sale.value.offline).toBe(false);
    const hold = await t.db.selectFrom('point_holds').select(['status', 'points']).executeTakeFirst();
    expect(hold).toMatchObject({ status: 'active', points: 50_00 });
    const pushed = await core.handlers['sync.now']({});
    expect(pushed.ok && pushed.value.pushed).toBe(1);
    expect(await serverBalance()).toMatchObject({ balance: 300_00 - 50_00 + 1_00 });
  });

  it('sells offline within the limits, then pushes in seq order and agrees with the server', async () => {
    setServerUrl(core.ctx.db, 'http://127.0.0.1:9');
    const failed = await core.handlers['sync.now']({});
    expect(!failed.ok && failed.error.code).toBe('server_unreachable');
    const before = await core.handlers['buyer.identify']({ phone: PHONE });
    if (!before.ok) throw new Error(before.error.message);
    const available = before.value.points.available;
    expect(available).toBe(251_00);
    let accrued = 0;
    for (const pointsToPay of [20_00, 30_00]) {
      const sale = await core.handlers['sale.commit']({
        buyerId,
        identifiedBy: 'phone',
        lines: [{ productId: 'MILK-1', quantity: 1000 }],
        pointsToPay,
      });
      if (!sale.ok) throw new Error(JSON.stringify(sale.error));
      expect(sale.value.offline).toBe(true);
      accrued += sale.value.totals.accrual;
    }
    const registered = await core.handlers['buyer.register']({
      phone: '+7 916 000-00-01',
      firstName: 'Новый',
    });
    expect(registered.ok).toBe(true);
    const queued = await core.handlers['sync.status']({});
    expect(queued.ok && queued.value).toMatchObject({ online: false, queuedOps: 3 });

    setServerUrl(core.ctx.db, serverUrl);
    const synced = await core.handlers['sync.now']({});
    if (!synced.ok) throw new Error(JSON.stringify(synced.error));
    expect(synced.value.pushed).toBe(3);
    const after = await core.handlers['sync.status']({});
    expect(after.ok && after.value).toMatchObject({
      online: true,
      queuedOps: 0,
      deadLetters: 0,
      conflicts: 0,
    });
    const server = await serverBalance();
    expect(server.balance).toBe(251_00 - 50_00 + accrued);
    const receipts = await t.db.selectFrom('receipts').select('id').where('buyer_id', '=', buyerId).execute();
    expect(receipts).toHaveLength(3);
    // The snapshot now includes every op: nothing is held back locally any more.
    const now = await core.handlers['buyer.identify']({ phone: PHONE });
    expect(now.ok && now.value.points).toMatchObject({ unconfirmedSpent: 0, available: server.balance });
    const newcomer = await t.db
      .selectFrom('buyers')
      .select('id')
      .where('phone', '=', '+79160000001')
      .executeTakeFirst();
    expect(newcomer).toBeDefined();
  });

  it('answers pushes again without double-booking when the answers were lost', async () => {
    core.ctx.db.exec(`UPDATE outbox SET status = 'pending' WHERE seq >= 2`);
    const replay = await core.handlers['sync.now']({});
    if (!replay.ok) throw new Error(JSON.stringify(replay.error));
    const receipts = await t.db.selectFrom('receipts').select('id').where('buyer_id', '=', buyerId).execute();
    expect(receipts).toHaveLength(3);
    const ops = core.ctx.db.prepare<[], { status: string }>('SELECT status FROM outbox').all();
    expect(ops.every((op) => op.status === 'done')).toBe(true);
  });

  it('a sync asked for during a run gets a run that starts after it, so it sees a change made meanwhile', async () => {
    const cashiers = () =>
      core.ctx.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM cache_cashiers').get()?.n ?? 0;
    const before = cashiers();
    // A run is going (it may already have read the cashiers) when a cashier is added in the
    // cabinet and the till is asked to sync: the answer must not be the run that was going.
    const going = core.ctx.sync.syncNow();
    const added = await s.owner.request('POST', '/api/v1/cashiers', {
      name: 'Петрова',
      storeId: s.storeId,
      code: '592837',
    });
    expect(added.statusCode, added.body).toBe(201);
    const asked = core.ctx.sync.syncNow();
    expect((await asked).ok).toBe(true);
    expect(cashiers()).toBe(before + 1);
    expect((await going).ok).toBe(true);
    // Asked in the same turn as a run starts, the answer is a later run, shared by every request
    // made during that run.
    const first = core.ctx.sync.syncNow();
    const later = core.ctx.sync.syncNow();
    expect(later).not.toBe(first);
    expect(core.ctx.sync.syncNow()).toBe(later);
    expect((await first).ok && (await later).ok).toBe(true);
  });
});

describe('pokes and revocation', () => {
  it('an online terminal hears the poke over SSE and prices with the change within seconds', async () => {
    const created = await s.owner.request('POST', '/api/v1/terminals', {
      storeId: s.storeId,
      name: 'Касса 2',
    });
    const { pairingCode, id } = created.json<{ pairingCode: string; id: string }>();
    const liveDir = mkdtempSync(join(tmpdir(), 'pos-live-'));
    const live = createTerminalCore({ dataDir: liveDir, periodicSyncMs: 3_600_000 });
    try {
      const paired = await live.handlers['pairing.pair']({ code: pairingCode, serverUrl });
      expect(paired.ok).toBe(true);
      const hasProducts = async (n: number) => {
        for (let i = 0; i < 100; i++) {
          const status = await live.handlers['terminal.status']({});
          if (status.ok && status.value.cache.products === n) return true;
          await new Promise((r) => setTimeout(r, 100));
        }
        return false;
      };
      expect(await hasProducts(1)).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      const added = await s.owner.request('POST', '/api/v1/products', {
        sku: 'BREAD-1',
        name: 'Хлеб',
        price: 50_00,
      });
      expect(added.statusCode, added.body).toBe(201);
      expect(await hasProducts(2)).toBe(true);
      expect(live.ctx.sync.state().eventsConnected).toBe(true);

      const revoked = await s.owner.request('POST', `/api/v1/terminals/${id}/revoke`);
      expect(revoked.statusCode, revoked.body).toBe(200);
      const refused = await live.handlers['sync.now']({});
      expect(!refused.ok && refused.error.code).toBe('terminal_revoked');
      const status = await live.handlers['sync.status']({});
      expect(status.ok && status.value).toMatchObject({
        pairingStatus: 'revoked',
        statusMessage: expect.stringContaining('Терминал отключён') as unknown,
      });
    } finally {
      await live.close();
      rmSync(liveDir, { recursive: true, force: true });
    }
  });
});

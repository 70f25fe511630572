// A property-based simulation (fast-check) of five tills against the real server over HTTP on a
// real PostgreSQL (ARCHITECTURE "Tests"): each till is a real terminal core with its own SQLite
// file; tills go offline (they simply stop reaching the server), sell, pay with points, return
// their own receipts and other tills' receipts, and come back. After settling (everyone online,
// syncing until quiet) the invariants of SYNC.md must hold: every receipt and return exactly once
// on the server, the ledger invariant for every buyer, replaying any outbox changes nothing, the
// caches equal the server, and overdraft stays within the offline limits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/test-app.ts';
import { ledgerSides } from '../../server/src/ledger/ledger.service.ts';
import { loadSnapshot } from '../../server/src/programme/rules-snapshot.ts';
import { shop, type Shop } from '../../server/src/sync/sync.test-helper.ts';
import { getRulesVersion } from '../src/core/store/cache-settings.repository.ts';
import { getIdentity, setServerUrl } from '../src/core/store/identity.repository.ts';
import { createTerminalCore, type TerminalCore } from '../src/core/terminal-core.ts';

const TILLS = 5;
const BUYERS = 3;
const START_POINTS = 40_00;
/** The per-terminal bound on offline redemption since the last sync (offlineLimits). */
const TERMINAL_LIMIT = 30_00;
const PRODUCTS = [
  ['MILK-1', 100_00],
  ['CHEESE-1', 350_00],
  ['BREAD-1', 45_00],
] as const;
const CODE = '271828';
// Nothing listens on port 9 (discard): connection refused at once, which is what "offline" means
// to the till: it keeps selling and queues its ops.
const UNREACHABLE = 'http://127.0.0.1:9';

let t: TestApp;
let serverUrl: string;
const dirs: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  serverUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await t?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Action =
  | { kind: 'offline'; till: number }
  | { kind: 'online'; till: number }
  | {
      kind: 'sale';
      till: number;
      buyer: number | null;
      product: number;
      units: number;
      points: number | 'max';
    }
  | { kind: 'return'; till: number; pick: number }
  | { kind: 'price'; product: number; price: number };

const till = fc.integer({ min: 0, max: TILLS - 1 });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('offline' as const), till }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('online' as const), till }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('sale' as const),
      till,
      buyer: fc.option(fc.integer({ min: 0, max: BUYERS - 1 }), { nil: null, freq: 4 }),
      product: fc.integer({ min: 0, max: PRODUCTS.length - 1 }),
      units: fc.integer({ min: 1, max: 3 }),
      points: fc.oneof(
        fc.constant('max' as const),
        fc.integer({ min: 0, max: 5 }).map((n) => n * 10_00),
      ),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('return' as const), till, pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('price' as const),
      product: fc.integer({ min: 0, max: PRODUCTS.length - 1 }),
      price: fc.integer({ min: 10, max: 500 }).map((r) => r * 1_00),
    }),
  },
);

/** Failures a till may answer in this world; anything else is a bug. */
const EXPECTED = new Set([
  'offline_redemption_refused',
  'hold_refused',
  'points_not_allowed',
  'receipt_not_found',
  'return_refused',
  'return_exceeds_receipt',
  'nothing_to_return',
  'calculation_changed',
  'insufficient_points',
  // The cashier asked for more points than the engine allows (balance, rules or offline limits).
  'points_exceed_maximum',
]);

type World = {
  s: Shop;
  tills: TerminalCore[];
  offline: boolean[];
  /** Points paid offline since the till's last successful sync. */
  offlineSpent: number[];
  offlinePeriods: number;
  buyerIds: string[];
  productIds: string[];
  /** Receipts made, with the till that made each. */
  receipts: Array<{ id: string; till: number }>;
};

/** What the runs exercised, so the test proves it reached the interesting cases. */
const seen = { offlinePointSales: 0, foreignReturns: 0, overdraftReceipts: 0, deadLetters: 0 };

async function newWorld(): Promise<World> {
  const s = await shop(t);
  const settings = await s.owner.request('GET', '/api/v1/programme');
  const body = settings.json<{ settings: Record<string, unknown> }>().settings;
  const limits = await s.owner.request('PUT', '/api/v1/programme/settings', {
    ...body,
    offlineLimits: { maxPointsPerTerminalSinceSync: TERMINAL_LIMIT, maxClockSkewMinutes: 60 },
  });
  expect(limits.statusCode, limits.body).toBe(200);
  const productIds: string[] = [];
  for (const [sku, price] of PRODUCTS) {
    const r = await s.owner.request('POST', '/api/v1/products', { sku, name: sku, price });
    expect(r.statusCode, r.body).toBe(201);
    productIds.push(r.json<{ id: string }>().id);
  }
  expect(
    // A senior: the simulated tills also book returns, which only a senior cashier may do.
    (
      await s.owner.request('POST', '/api/v1/cashiers', {
        name: 'Кассир',
        role: 'senior',
        storeId: s.storeId,
        code: CODE,
      })
    ).statusCode,
  ).toBe(201);
  const buyerIds: string[] = [];
  for (let i = 0; i < BUYERS; i++) {
    const r = await s.owner.request('POST', '/api/v1/buyers', {
      phone: `+7916555${String(i).padStart(4, '0')}`,
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json<{ id: string }>().id;
    const accrued = await s.owner.request('POST', `/api/v1/buyers/${id}/points`, {
      operation: 'accrue',
      points: START_POINTS,
      reason: 'Стартовый баланс',
    });
    expect(accrued.statusCode, accrued.body).toBe(200);
    buyerIds.push(id);
  }
  const tills: TerminalCore[] = [];
  for (let i = 0; i < TILLS; i++) {
    const created = await s.owner.request('POST', '/api/v1/terminals', {
      storeId: s.storeId,
      name: `Касса ${i + 1}`,
    });
    expect(created.statusCode, created.body).toBe(201);
    const dir = mkdtempSync(join(tmpdir(), 'pos-sim-'));
    dirs.push(dir);
    const core = createTerminalCore({ dataDir: dir, autoSync: false });
    tills.push(core);
    const paired = await core.handlers['pairing.pair']({
      code: created.json<{ pairingCode: string }>().pairingCode,
      serverUrl,
    });
    if (!paired.ok) throw new Error(JSON.stringify(paired.error));
    const synced = await core.handlers['sync.now']({});
    if (!synced.ok) throw new Error(JSON.stringify(synced.error));
    expect((await core.handlers['cashier.login']({ code: CODE })).ok).toBe(true);
  }
  return {
    s,
    tills,
    offline: tills.map(() => false),
    offlineSpent: tills.map(() => 0),
    offlinePeriods: 0,
    buyerIds,
    productIds,
    receipts: [],
  };
}

function expectOnlyExpected(result: { ok: boolean; error?: { code: string } }, what: string): void {
  if (!result.ok && !EXPECTED.has(result.error?.code ?? ''))
    throw new Error(`${what}: неожиданная ошибка ${JSON.stringify(result.error)}`);
}

async function syncOrThrow(core: TerminalCore): Promise<number> {
  const result = await core.handlers['sync.now']({});
  if (!result.ok) throw new Error(`sync: ${JSON.stringify(result.error)}`);
  return result.value.pushed;
}

async function run(w: World, action: Action): Promise<void> {
  switch (action.kind) {
    case 'offline': {
      if (w.offline[action.till]) return;
      const core = w.tills[action.till]!;
      setServerUrl(core.ctx.db, UNREACHABLE);
      // One failed call is how the till learns it is offline.
      expect((await core.handlers['sync.now']({})).ok).toBe(false);
      w.offline[action.till] = true;
      w.offlinePeriods++;
      return;
    }
    case 'online': {
      const core = w.tills[action.till]!;
      setServerUrl(core.ctx.db, serverUrl);
      await syncOrThrow(core);
      w.offline[action.till] = false;
      w.offlineSpent[action.till] = 0;
      return;
    }
    case 'price': {
      const r = await w.s.owner.request('PATCH', `/api/v1/products/${w.productIds[action.product]}`, {
        price: action.price,
      });
      expect(r.statusCode, r.body).toBe(200);
      return;
    }
    case 'sale': {
      const core = w.tills[action.till]!;
      const buyerId = action.buyer === null ? null : w.buyerIds[action.buyer]!;
      // Online tills see the latest prices and balances first, as a till with SSE pokes would.
      if (!w.offline[action.till]) await syncOrThrow(core);
      if (buyerId) {
        const identified = await core.handlers['buyer.identify']({ buyerId });
        if (!identified.ok) throw new Error(JSON.stringify(identified.error));
      }
      const sale = await core.handlers['sale.commit']({
        buyerId,
        identifiedBy: buyerId ? 'card' : null,
        lines: [{ productId: PRODUCTS[action.product]![0], quantity: action.units * 1000 }],
        pointsToPay: buyerId ? action.points : 0,
      });
      expectOnlyExpected(sale, 'sale.commit');
      if (!sale.ok) return;
      w.receipts.push({ id: sale.value.receiptId, till: action.till });
      if (sale.value.offline && sale.value.totals.pointsPaid > 0) seen.offlinePointSales++;
      if (sale.value.offline) {
        w.offlineSpent[action.till] = (w.offlineSpent[action.till] ?? 0) + sale.value.totals.pointsPaid;
        // The till itself enforces the bound on what it spends unacknowledged.
        expect(w.offlineSpent[action.till]).toBeLessThanOrEqual(TERMINAL_LIMIT);
      }
      if (!w.offline[action.till]) await syncOrThrow(core);
      return;
    }
    case 'return': {
      if (w.receipts.length === 0) return;
      const core = w.tills[action.till]!;
      const receipt = w.receipts[action.pick % w.receipts.length]!;
      const receiptId = receipt.id;
      const found = await core.handlers['return.find']({ receiptId });
      expectOnlyExpected(found, 'return.find');
      if (!found.ok) return;
      const index = found.value.remaining.findIndex((q) => q >= 1000);
      if (index < 0) return;
      const done = await core.handlers['return.commit']({ receiptId, lines: [{ index, quantity: 1000 }] });
      expectOnlyExpected(done, 'return.commit');
      if (done.ok && receipt.till !== action.till) seen.foreignReturns++;
      if (!w.offline[action.till]) await syncOrThrow(core);
      return;
    }
  }
}

/** Everyone online; sync every till until a whole round pushes nothing, then pull once more. */
async function settle(w: World): Promise<void> {
  for (const core of w.tills) setServerUrl(core.ctx.db, serverUrl);
  w.offline.fill(false);
  for (let round = 0; round < 5; round++) {
    let pushed = 0;
    for (const core of w.tills) pushed += await syncOrThrow(core);
    if (pushed === 0) break;
  }
  for (const core of w.tills) await syncOrThrow(core);
}

type Fingerprint = { receipts: number; returns: number; entries: number; balances: string };

async function fingerprint(w: World): Promise<Fingerprint> {
  const m = w.s.owner.merchantId;
  const count = async (table: 'receipts' | 'receipt_returns' | 'ledger_entries') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('merchant_id', '=', m)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const buyers = await t.db
    .selectFrom('buyers')
    .select(['id', 'balance', 'debt'])
    .where('merchant_id', '=', m)
    .orderBy('id')
    .execute();
  return {
    receipts: await count('receipts'),
    returns: await count('receipt_returns'),
    entries: await count('ledger_entries'),
    balances: JSON.stringify(buyers),
  };
}

async function checkInvariants(w: World): Promise<void> {
  const m = w.s.owner.merchantId;
  // Every receipt and return made at a till is on the server exactly once, and nothing else is.
  const local = w.tills.flatMap((core) =>
    core.ctx.db
      .prepare<[], { id: string }>('SELECT id FROM receipts')
      .all()
      .map((r) => r.id),
  );
  expect(new Set(local).size).toBe(local.length);
  const server = await t.db
    .selectFrom('receipts')
    .select(['id', 'overdraft', 'points_paid'])
    .where('merchant_id', '=', m)
    .execute();
  expect(server.map((r) => r.id).sort()).toEqual([...local].sort());
  const localReturns = w.tills.flatMap((core) =>
    core.ctx.db
      .prepare<[], { id: string; op: string }>(
        `SELECT r.id, o.status AS op FROM returns r JOIN outbox o ON o.seq = r.seq`,
      )
      .all(),
  );
  const serverReturns = await t.db
    .selectFrom('receipt_returns')
    .select('id')
    .where('merchant_id', '=', m)
    .execute();
  // A return the server refused (two tills returned the same line) is a dead letter, not booked.
  expect(serverReturns.map((r) => r.id).sort()).toEqual(
    localReturns
      .filter((r) => r.op === 'done')
      .map((r) => r.id)
      .sort(),
  );
  const letters = await t.db
    .selectFrom('sync_dead_letters')
    .select('reason')
    .where('merchant_id', '=', m)
    .execute();
  expect(letters.filter((l) => l.reason !== 'return_exceeds_receipt')).toEqual([]);
  seen.deadLetters += letters.length;
  for (const core of w.tills) {
    const status = await core.handlers['sync.status']({});
    expect(status.ok && status.value).toMatchObject({ queuedOps: 0, conflicts: 0 });
  }

  // The ledger invariant for every buyer; overdraft only on offline receipts and within bounds.
  let debt = 0;
  for (const buyerId of w.buyerIds) {
    const sides = await ledgerSides(t.db, buyerId);
    expect(Number(sides.entries)).toBe(Number(sides.balance));
    expect(Number(sides.lots) - Number(sides.debt)).toBe(Number(sides.balance));
    debt += Number(sides.debt);
  }
  for (const r of server) expect(Number(r.overdraft)).toBeLessThanOrEqual(Number(r.points_paid));
  const overdraft = server.reduce((sum, r) => sum + Number(r.overdraft), 0);
  seen.overdraftReceipts += server.filter((r) => Number(r.overdraft) > 0).length;
  expect(debt).toBeLessThanOrEqual(TILLS * TERMINAL_LIMIT);
  expect(overdraft).toBeLessThanOrEqual(w.offlinePeriods * TERMINAL_LIMIT);

  // Caches equal the server: balances, products, rules version; nothing held back any more.
  const buyers = await t.db
    .selectFrom('buyers')
    .select(['id', 'balance', 'debt'])
    .where('merchant_id', '=', m)
    .execute();
  const products = await t.db
    .selectFrom('products')
    .select(['id', 'price'])
    .where('merchant_id', '=', m)
    .where('archived_at', 'is', null)
    .execute();
  const rulesVersion = (await loadSnapshot(t.db, m))?.version;
  for (const core of w.tills) {
    const terminal = await t.db
      .selectFrom('terminals')
      .select('last_seq')
      .where('id', '=', getIdentity(core.ctx.db).terminalId ?? '')
      .executeTakeFirstOrThrow();
    for (const b of buyers) {
      const seen = await core.handlers['buyer.identify']({ buyerId: b.id });
      if (!seen.ok) throw new Error(JSON.stringify(seen.error));
      expect(seen.value.points).toMatchObject({
        snapshotBalance: Number(b.balance),
        debt: Number(b.debt),
        unconfirmedSpent: 0,
        unconfirmedAccrued: 0,
      });
      // A snapshot is re-sent only when the buyer changes: it may predate later ops of other buyers.
      expect(seen.value.points.appliedSeq).toBeLessThanOrEqual(Number(terminal.last_seq));
    }
    const cached = core.ctx.db
      .prepare<[], { id: string; price: number }>('SELECT id, price FROM cache_products ORDER BY id')
      .all();
    expect(cached).toEqual(
      products.map((p) => ({ id: p.id, price: Number(p.price) })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    expect(getRulesVersion(core.ctx.db)).toBe(rulesVersion);
  }

  // Replaying any till's whole outbox changes nothing on the server.
  const before = await fingerprint(w);
  for (const core of w.tills) {
    core.ctx.db.exec(`UPDATE outbox SET status = 'pending' WHERE status = 'done'`);
    await syncOrThrow(core);
    const status = await core.handlers['sync.status']({});
    expect(status.ok && status.value).toMatchObject({ queuedOps: 0, conflicts: 0 });
  }
  expect(await fingerprint(w)).toEqual(before);
}

// Run first, so every run of the suite reaches an overdraft and a return across tills: two tills
// offline spend the same buyer's points (40.00 between them, 60.00 spent), a third sells online
// and a fourth returns that receipt, then a fifth returns one of the offline receipts.
const certain: Action[] = [
  { kind: 'offline', till: 0 },
  { kind: 'offline', till: 1 },
  { kind: 'sale', till: 0, buyer: 0, product: 1, units: 1, points: 30_00 },
  { kind: 'sale', till: 1, buyer: 0, product: 1, units: 1, points: 30_00 },
  { kind: 'sale', till: 2, buyer: 1, product: 0, units: 2, points: 10_00 },
  { kind: 'return', till: 3, pick: 2 },
  { kind: 'online', till: 0 },
  { kind: 'online', till: 1 },
  { kind: 'return', till: 4, pick: 0 },
];

describe('simulation: five tills with random offline periods', () => {
  it('keeps every invariant after settling', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 10, maxLength: 24 }), async (actions) => {
        const w = await newWorld();
        try {
          for (const action of actions) await run(w, action);
          await settle(w);
          await checkInvariants(w);
        } finally {
          for (const core of w.tills) await core.close();
        }
      }),
      { numRuns: 6, endOnFailure: true, examples: [[certain]] },
    );
    expect(seen.offlinePointSales).toBeGreaterThanOrEqual(2);
    expect(seen.overdraftReceipts).toBeGreaterThanOrEqual(1);
    expect(seen.foreignReturns).toBeGreaterThanOrEqual(2);
  });
});

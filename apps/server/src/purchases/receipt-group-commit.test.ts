// Group commit of online confirms (issue 3, B4, C12) on a real PostgreSQL: receipts posted at
// once share one statement (one transaction: the same xmin), each under its own buyer's guard; a
// moved buyer's receipt writes nothing and answers stale while the others are written; two
// receipts of one buyer never share a group; a taken key fails only its own receipt; and the
// ledger invariant holds for every buyer.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { ledgerSides } from '#ledger/ledger.service.ts';
import { preparedRulesFor } from '#programme/rules-snapshot.ts';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { readPostingContext } from './posting-context.ts';
import { postReceiptInGroup } from './receipt-group-commit.ts';
import type { ReceiptPosting } from './receipt-posting.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Shop = { owner: Session; storeId: string };

async function shop(): Promise<Shop> {
  const owner = await t.signIn('owner');
  const cardType = await owner.request('POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: {
      accrual: { kind: 'percent', percent: 200 },
      accrualBase: 'paid',
      rounding: 'down_whole',
      expiry: { kind: 'never' },
      activation: { kind: 'immediate' },
      payment: { kind: 'up_to', percent: 10_000, minPoints: 0 },
    },
  });
  expect(cardType.statusCode).toBe(201);
  const store = await t.db
    .insertInto('stores')
    .values({ merchant_id: owner.merchantId, name: 'Магазин 1', attributes: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { owner, storeId: store.id };
}

async function buyerWith(s: Shop, balance: number): Promise<string> {
  const row = await t.db
    .insertInto('buyers')
    .values({ merchant_id: s.owner.merchantId, channel: 'api' })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (balance > 0) {
    const r = await s.owner.request('POST', `/api/v1/buyers/${row.id}/points`, {
      operation: 'accrue',
      points: balance,
      reason: 'тест',
    });
    expect(r.statusCode, r.body).toBe(200);
  }
  return row.id;
}

async function expectInvariant(buyerId: string) {
  const sides = await ledgerSides(t.db, buyerId);
  expect(sides.entries).toBe(sides.balance);
  expect(sides.lots - sides.debt).toBe(sides.balance);
  return sides;
}

/** A confirm as the purchase flow prepares it: read without a lock, priced by the engine. */
async function confirmPosting(
  s: Shop,
  buyerId: string | null,
  price: number,
  pointsToPay: number,
  key = randomUUID(),
): Promise<ReceiptPosting> {
  const rules = await preparedRulesFor(t.db, s.owner.merchantId);
  if (!rules) throw new Error('no programme');
  const priced = await s.owner.request('POST', '/api/v1/purchases/calculate', {
    storeId: s.storeId,
    buyer: buyerId ? { buyerId } : null,
    lines: [{ productId: 'p1', price, quantity: 1000 }],
    pointsToPay,
  });
  expect(priced.statusCode, priced.body).toBe(200);
  const now = new Date();
  const context = await readPostingContext(t.db, s.owner.merchantId, buyerId ? { buyerId } : null, {
    now,
    holdId: null,
    productKeys: [],
    defaultCardTypeId: rules.snapshot.programme.defaultCardTypeId,
    referralMode: 'anyone',
  });
  return {
    merchantId: s.owner.merchantId,
    receiptId: randomUUID(),
    idempotencyKey: key,
    requestHash: Buffer.from(key),
    number: null,
    storeId: s.storeId,
    cashierId: null,
    source: 'api',
    actor: { type: 'api_key', id: null },
    calculation: priced.json<{ calculation: Calculation }>().calculation,
    buyer: context.row && context.buyer ? { row: context.row, state: context.buyer } : null,
    referrerDebts: new Map(),
    holdId: null,
    tierTotalBefore: null,
    allowOverdraft: false,
    terminal: null,
    rules,
    now,
  };
}

/** The transactions that wrote these receipts (xmin of their rows). */
async function writers(receiptIds: readonly string[]): Promise<number> {
  const rows = await sql<{ n: number }>`
    SELECT count(DISTINCT xmin::text)::int AS n FROM receipts WHERE id = ANY(${receiptIds}::uuid[])`.execute(
    t.db,
  );
  return rows.rows[0]?.n ?? 0;
}

describe('group commit of confirms (issue 3)', () => {
  it('posts receipts of several buyers and an anonymous one in one statement', async () => {
    const s = await shop();
    const buyers = [await buyerWith(s, 50_00), await buyerWith(s, 0), await buyerWith(s, 20_00)];
    const postings = [
      await confirmPosting(s, buyers[0] ?? null, 100_00, 50_00),
      await confirmPosting(s, buyers[1] ?? null, 300_00, 0),
      await confirmPosting(s, null, 70_00, 0),
      await confirmPosting(s, buyers[2] ?? null, 40_00, 20_00),
    ];
    const outcomes = await Promise.all(postings.map((p) => postReceiptInGroup(t.db, p)));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
    expect(await writers(postings.map((p) => p.receiptId))).toBe(1);
    // 50 - 50 + 2 % of 50; 2 % of 300; 20 - 20 + 2 % of 20 (rounded down: 0)
    expect((await expectInvariant(buyers[0] ?? '')).balance).toBe(1_00);
    expect((await expectInvariant(buyers[1] ?? '')).balance).toBe(6_00);
    expect((await expectInvariant(buyers[2] ?? '')).balance).toBe(0);
    const counters = await t.db
      .selectFrom('buyers')
      .select(['purchases_count', 'purchases_total'])
      .where('id', '=', buyers[1] ?? '')
      .executeTakeFirstOrThrow();
    expect(counters).toEqual({ purchases_count: 1, purchases_total: 300_00 });
    const lines = await t.db
      .selectFrom('receipt_lines')
      .select('receipt_id')
      .where(
        'receipt_id',
        'in',
        postings.map((p) => p.receiptId),
      )
      .execute();
    expect(lines).toHaveLength(4);
  });

  it('a moved buyer’s receipt writes nothing and answers stale; the rest of its group is written', async () => {
    const s = await shop();
    const moved = await buyerWith(s, 30_00);
    const other = await buyerWith(s, 0);
    const stale = await confirmPosting(s, moved, 100_00, 30_00);
    const fine = await confirmPosting(s, other, 100_00, 0);
    // Another writer takes the points after the read (a manual deduction bumps the version).
    const r = await s.owner.request('POST', `/api/v1/buyers/${moved}/points`, {
      operation: 'deduct',
      points: 30_00,
      reason: 'тест',
    });
    expect(r.statusCode, r.body).toBe(200);
    const outcomes = await Promise.all([postReceiptInGroup(t.db, stale), postReceiptInGroup(t.db, fine)]);
    expect(outcomes).toMatchObject([{ ok: false, code: 'stale' }, { ok: true }]);
    const booked = await t.db
      .selectFrom('receipts')
      .select('id')
      .where('id', 'in', [stale.receiptId, fine.receiptId])
      .execute();
    expect(booked.map((b) => b.id)).toEqual([fine.receiptId]);
    expect(await expectInvariant(moved)).toMatchObject({ balance: 0, debt: 0 });
    const lots = await t.db
      .selectFrom('point_lots')
      .select('id')
      .where('receipt_id', '=', stale.receiptId)
      .execute();
    expect(lots).toHaveLength(0);
  });

  it('never lets two receipts of one buyer pass on the same read: the second answers stale', async () => {
    const s = await shop();
    const buyerId = await buyerWith(s, 10_00);
    const first = await confirmPosting(s, buyerId, 100_00, 10_00);
    const second = await confirmPosting(s, buyerId, 100_00, 10_00);
    const outcomes = await Promise.all([postReceiptInGroup(t.db, first), postReceiptInGroup(t.db, second)]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual(['ok', 'stale']);
    const sides = await expectInvariant(buyerId);
    // One spend of 10 points, 2 % of 90.00 accrued (1.80, rounded down).
    expect(sides).toMatchObject({ balance: 1_00, debt: 0 });
  });

  it('a taken idempotency key fails only its own receipt; the others are written', async () => {
    const s = await shop();
    const a = await buyerWith(s, 0);
    const b = await buyerWith(s, 0);
    const key = randomUUID();
    const earlier = await confirmPosting(s, a, 100_00, 0, key);
    expect((await postReceiptInGroup(t.db, earlier)).ok).toBe(true);
    const clash = await confirmPosting(s, b, 200_00, 0, key);
    const fine = await confirmPosting(s, null, 300_00, 0);
    const settled = await Promise.allSettled([
      postReceiptInGroup(t.db, clash),
      postReceiptInGroup(t.db, fine),
    ]);
    expect(settled[0]).toMatchObject({ status: 'rejected', reason: { code: '23505' } });
    expect(settled[1]).toMatchObject({ status: 'fulfilled', value: { ok: true } });
    expect(await expectInvariant(b)).toMatchObject({ balance: 0 });
    const booked = await t.db
      .selectFrom('receipts')
      .select('id')
      .where('id', 'in', [clash.receiptId, fine.receiptId])
      .execute();
    expect(booked.map((x) => x.id)).toEqual([fine.receiptId]);
  });

  it('refuses a spend beyond the lots before joining a group (online confirms have no overdraft)', async () => {
    const s = await shop();
    const buyerId = await buyerWith(s, 10_00);
    const posting = await confirmPosting(s, buyerId, 100_00, 10_00);
    const poorer = {
      ...posting,
      buyer: posting.buyer && { ...posting.buyer, state: { ...posting.buyer.state, lots: [] } },
    };
    const outcome = await postReceiptInGroup(t.db, poorer);
    expect(outcome).toMatchObject({ ok: false, code: 'insufficient_points', available: 0 });
    expect(await expectInvariant(buyerId)).toMatchObject({ balance: 10_00 });
  });
});

// B4 purchase flow and C12 ledger on a real PostgreSQL: the BonusPlus example end to end,
// idempotent confirms, no overspending under concurrency, returns restoring the same lots,
// holds, roles and merchants, and the ledger invariant after random operation sequences.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerSides } from '#ledger/ledger.service.ts';
import { expireDueLots } from '#ledger/ledger.service.ts';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const standardRule = {
  accrual: { kind: 'percent', percent: 200 },
  accrualBase: 'paid',
  rounding: 'nearest_whole',
  expiry: { kind: 'days', days: 365 },
  activation: { kind: 'immediate' },
  payment: { kind: 'up_to', percent: 10_000, minPoints: 0 },
};

type Shop = { owner: Session; storeId: string };

async function shop(): Promise<Shop> {
  const owner = await t.signIn('owner');
  const cardType = await owner.request('POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: standardRule,
  });
  expect(cardType.statusCode).toBe(201);
  const store = await t.db
    .insertInto('stores')
    .values({ merchant_id: owner.merchantId, name: 'Магазин 1', attributes: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { owner, storeId: store.id };
}

async function buyerWithPoints(s: Shop, balance: number): Promise<string> {
  const buyer = await t.db
    .insertInto('buyers')
    .values({ merchant_id: s.owner.merchantId, channel: 'api', purchases_count: 3 })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (balance > 0) {
    const r = await s.owner.request('POST', `/api/v1/buyers/${buyer.id}/points`, {
      operation: 'accrue',
      points: balance,
      reason: 'Стартовый баланс',
    });
    expect(r.statusCode).toBe(200);
  }
  return buyer.id;
}

async function expectInvariant(buyerId: string) {
  const sides = await ledgerSides(t.db, buyerId);
  expect(sides.entries).toBe(sides.balance);
  expect(sides.lots - sides.debt).toBe(sides.balance);
}

const line = (productId: string, price: number, pieces = 1) => ({
  productId,
  price,
  quantity: pieces * 1000,
});

describe('confirm (B4, C12)', () => {
  it('books the BonusPlus example: 125 points over 234.00 + 468.00, 4 + 8 accrued', async () => {
    const s = await shop();
    const buyerId = await buyerWithPoints(s, 100_000);
    const r = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `bp-${randomUUID()}`,
      storeId: s.storeId,
      buyer: { buyerId },
      lines: [line('p1', 23_400), line('p2', 46_800)],
      pointsToPay: 12_500,
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json<{
      calculation: { lines: Array<{ pointsPaid: number; paidMoney: number; accrual: number }> };
      buyer: { balance: number };
    }>();
    expect(body.calculation.lines.map((l) => [l.pointsPaid, l.paidMoney, l.accrual])).toEqual([
      [4_166, 19_234, 400],
      [8_334, 38_466, 800],
    ]);
    // 1000.00 - 125.00 + 12.00
    expect(body.buyer.balance).toBe(88_700);
    // The answer is computed before commit; it must equal what the ledger says afterwards.
    const points = await s.owner.request('GET', `/api/v1/buyers/${buyerId}/points`);
    expect(points.json()).toEqual(body.buyer);
    await expectInvariant(buyerId);
    const buyer = await t.db
      .selectFrom('buyers')
      .select(['purchases_count', 'purchases_total'])
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(buyer).toEqual({ purchases_count: 4, purchases_total: 70_200 });
  });

  it('posts once when the same confirm is retried 10 times, in sequence and at once', async () => {
    const s = await shop();
    const buyerId = await buyerWithPoints(s, 50_000);
    const body = {
      idempotencyKey: `retry-${randomUUID()}`,
      storeId: s.storeId,
      buyer: { buyerId },
      lines: [line('p1', 10_000)],
      pointsToPay: 1_000,
    };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => s.owner.request('POST', '/api/v1/purchases/confirm', body)),
    );
    for (let i = 0; i < 3; i++)
      answers.push(await s.owner.request('POST', '/api/v1/purchases/confirm', body));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(13).fill(200));
    expect(new Set(answers.map((a) => a.json<{ receiptId: string }>().receiptId)).size).toBe(1);
    const receipts = await t.db.selectFrom('receipts').select('id').where('buyer_id', '=', buyerId).execute();
    expect(receipts).toHaveLength(1);
    // 500.00 - 10.00 + 2 % of 90.00 = 1.80 -> 2 points
    expect(
      (await t.db.selectFrom('buyers').select('balance').where('id', '=', buyerId).executeTakeFirstOrThrow())
        .balance,
    ).toBe(49_200);
    const different = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      ...body,
      pointsToPay: 2_000,
    });
    expect(different.statusCode).toBe(409);
    await expectInvariant(buyerId);
  });

  it('never overspends: 50 parallel confirms of 10 points against a balance of 100 points', async () => {
    const s = await shop();
    const buyerId = await buyerWithPoints(s, 10_000);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        s.owner.request('POST', '/api/v1/purchases/confirm', {
          idempotencyKey: `par-${i}-${randomUUID()}`,
          storeId: s.storeId,
          buyer: { buyerId },
          lines: [{ ...line('p1', 1_000), noAccrual: true }],
          pointsToPay: 1_000,
        }),
      ),
    );
    const ok = results.filter((r) => r.statusCode === 200).length;
    expect(ok).toBe(10);
    expect(results.filter((r) => r.statusCode === 409).length).toBe(40);
    const buyer = await t.db
      .selectFrom('buyers')
      .select(['balance', 'debt'])
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(buyer).toEqual({ balance: 0, debt: 0 });
    await expectInvariant(buyerId);
  });

  it('holds points for a sale: others cannot spend them, the sale consumes the hold', async () => {
    const s = await shop();
    const buyerId = await buyerWithPoints(s, 5_000);
    const hold = await s.owner.request('POST', '/api/v1/holds', {
      buyer: { buyerId },
      points: 4_000,
      ttlSeconds: 60,
    });
    expect(hold.statusCode).toBe(201);
    const points = (await s.owner.request('GET', `/api/v1/buyers/${buyerId}/points`)).json<{
      available: number;
      reserved: number;
    }>();
    expect(points).toMatchObject({ available: 1_000, reserved: 4_000 });
    const other = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `other-${randomUUID()}`,
      storeId: s.storeId,
      buyer: { buyerId },
      lines: [line('p1', 10_000)],
      pointsToPay: 2_000,
    });
    expect(other.statusCode).toBe(409);
    const sale = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `held-${randomUUID()}`,
      holdId: hold.json<{ id: string }>().id,
      storeId: s.storeId,
      buyer: { buyerId },
      lines: [line('p1', 10_000)],
      pointsToPay: 4_000,
    });
    expect(sale.statusCode, sale.body).toBe(200);
    const after = (await s.owner.request('GET', `/api/v1/buyers/${buyerId}/points`)).json<{
      reserved: number;
    }>();
    expect(after.reserved).toBe(0);
    await expectInvariant(buyerId);
  });
});

describe('returns (A7)', () => {
  it('restores the same lots and takes back accruals; partial returns sum to the full return', async () => {
    const s = await shop();
    const buyerId = await buyerWithPoints(s, 0);
    // Two lots: one expiring soon, one later. The sale takes the soon-expiring one first.
    const soon = await t.db
      .insertInto('point_lots')
      .values({
        merchant_id: s.owner.merchantId,
        buyer_id: buyerId,
        source: 'manual',
        initial: 3_000,
        remaining: 3_000,
        activates_at: new Date(Date.now() - 1000),
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const later = await t.db
      .insertInto('point_lots')
      .values({
        merchant_id: s.owner.merchantId,
        buyer_id: buyerId,
        source: 'manual',
        initial: 3_000,
        remaining: 3_000,
        activates_at: new Date(Date.now() - 1000),
        expires_at: new Date(Date.now() + 30 * 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('ledger_entries')
      .values(
        [soon.id, later.id].map((lotId) => ({
          merchant_id: s.owner.merchantId,
          buyer_id: buyerId,
          operation_id: randomUUID(),
          kind: 'manual_accrual',
          points: 3_000,
          lot_id: lotId,
        })),
      )
      .execute();
    await t.db.updateTable('buyers').set({ balance: 6_000 }).where('id', '=', buyerId).execute();

    const sale = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `ret-${randomUUID()}`,
      storeId: s.storeId,
      buyer: { buyerId },
      lines: [line('p1', 10_000, 3)],
      pointsToPay: 4_500,
    });
    expect(sale.statusCode, sale.body).toBe(200);
    const receiptId = sale.json<{ receiptId: string }>().receiptId;
    const remaining = async () =>
      Object.fromEntries(
        (
          await t.db
            .selectFrom('point_lots')
            .select(['id', 'remaining'])
            .where('id', 'in', [soon.id, later.id])
            .execute()
        ).map((l) => [l.id, l.remaining]),
      );
    expect(await remaining()).toEqual({ [soon.id]: 0, [later.id]: 1_500 });

    let refunded = 0;
    for (const key of ['a', 'b', 'c']) {
      const back = await s.owner.request('POST', `/api/v1/purchases/${receiptId}/return`, {
        idempotencyKey: `return-${key}-${receiptId}`,
        lines: [{ index: 0, quantity: 1000 }],
      });
      expect(back.statusCode, back.body).toBe(200);
      refunded += back.json<{ result: { totals: { refundMoney: number } } }>().result.totals.refundMoney;
      await expectInvariant(buyerId);
    }
    // Everything returned: 300.00 - 45.00 paid in money comes back, both lots are whole again,
    // and the 2 % accrual (5.10 -> 5 points) is taken back.
    expect(refunded).toBe(25_500);
    expect(await remaining()).toEqual({ [soon.id]: 3_000, [later.id]: 3_000 });
    const buyer = await t.db
      .selectFrom('buyers')
      .select(['balance', 'purchases_count'])
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(buyer.balance).toBe(6_000);
    const fourth = await s.owner.request('POST', `/api/v1/purchases/${receiptId}/return`, {
      idempotencyKey: `return-d-${receiptId}`,
      lines: [{ index: 0, quantity: 1000 }],
    });
    expect(fourth.statusCode).toBe(400);
  });
});

describe('access', () => {
  it("refuses another merchant's receipt (404) and a role without sales rights (403)", async () => {
    const s = await shop();
    const buyerId = await buyerWithPoints(s, 1_000);
    const sale = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `acc-${randomUUID()}`,
      storeId: s.storeId,
      buyer: { buyerId },
      lines: [line('p1', 1_000)],
    });
    const receiptId = sale.json<{ receiptId: string }>().receiptId;
    const stranger = await t.signIn('owner');
    const foreign = await stranger.request('POST', `/api/v1/purchases/${receiptId}/return`, {
      idempotencyKey: `x-${randomUUID()}`,
      lines: [{ index: 0, quantity: 1000 }],
    });
    expect(foreign.statusCode).toBe(404);
    expect(
      (await stranger.request('GET', `/api/v1/buyers/${buyerId}/ledger`)).json<{ total: number }>().total,
    ).toBe(0);
    const analyst = await t.signIn('analyst', s.owner.merchantId);
    const refused = await analyst.request('POST', '/api/v1/purchases/calculate', {
      storeId: s.storeId,
      lines: [line('p1', 1)],
    });
    expect(refused.statusCode).toBe(403);
    const bad = await s.owner.request('POST', '/api/v1/purchases/calculate', { storeId: 'x', lines: [] });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ details: { issues: Array<{ path: string }> } }>()
        .details.issues.map((i) => i.path)
        .sort(),
    ).toEqual(['body.lines', 'body.storeId']);
  });
});

describe('ledger invariant (C12)', () => {
  it('holds after random sequences of accruals, sales, returns, deductions and expiry', async () => {
    const s = await shop();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('accrue' as const), points: fc.integer({ min: 1, max: 5_000 }) }),
            fc.record({
              op: fc.constant('sale' as const),
              price: fc.integer({ min: 100, max: 20_000 }),
              pay: fc.integer({ min: 0, max: 100 }),
            }),
            fc.record({ op: fc.constant('return' as const), which: fc.nat() }),
            fc.record({ op: fc.constant('deduct' as const), points: fc.integer({ min: 1, max: 3_000 }) }),
            fc.record({ op: fc.constant('expire' as const) }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        async (ops) => {
          const buyerId = await buyerWithPoints(s, 0);
          const receipts: string[] = [];
          for (const step of ops) {
            if (step.op === 'accrue') {
              await s.owner.request('POST', `/api/v1/buyers/${buyerId}/points`, {
                operation: 'accrue',
                points: step.points,
                reason: 'тест',
                expiryDays: 1,
              });
            } else if (step.op === 'deduct') {
              await s.owner.request('POST', `/api/v1/buyers/${buyerId}/points`, {
                operation: 'deduct',
                points: step.points,
                reason: 'тест',
              });
            } else if (step.op === 'sale') {
              const calc = await s.owner.request('POST', '/api/v1/purchases/calculate', {
                storeId: s.storeId,
                buyer: { buyerId },
                lines: [line('p1', step.price, 2)],
                pointsToPay: 'max',
              });
              const max = calc.json<{ calculation: { pointsPayment: { maximum: number } } }>().calculation
                .pointsPayment.maximum;
              const r = await s.owner.request('POST', '/api/v1/purchases/confirm', {
                idempotencyKey: `inv-${randomUUID()}`,
                storeId: s.storeId,
                buyer: { buyerId },
                lines: [line('p1', step.price, 2)],
                pointsToPay: Math.floor((max * step.pay) / 100),
              });
              expect(r.statusCode, r.body).toBe(200);
              receipts.push(r.json<{ receiptId: string }>().receiptId);
            } else if (step.op === 'return' && receipts.length > 0) {
              const receiptId = receipts[step.which % receipts.length] ?? '';
              await s.owner.request('POST', `/api/v1/purchases/${receiptId}/return`, {
                idempotencyKey: `inv-r-${randomUUID()}`,
                lines: [{ index: 0, quantity: 1000 }],
              });
            } else if (step.op === 'expire') {
              await t.db
                .updateTable('point_lots')
                .set({ expires_at: new Date(Date.now() - 1) })
                .where('buyer_id', '=', buyerId)
                .where('source', '=', 'manual')
                .execute();
              await t.db.transaction().execute((trx) => expireDueLots(trx, new Date()));
            }
            await expectInvariant(buyerId);
          }
          const sides = await ledgerSides(t.db, buyerId);
          expect(sides.debt).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 25 },
    );
  });
});

// The dashboard summary (G1): per-day figures in the merchant's calendar (Moscow midnight, not
// UTC), days without sales filled with zeros, read-only roles allowed, merchants kept apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Summary = {
  timeZone: string;
  totals: Record<string, number | null>;
  days: ({ date: string } & Record<string, number | null>)[];
};

let key = 0;
async function receipt(
  merchantId: string,
  at: string,
  amount: number,
  discount: number,
  buyerId: string | null,
) {
  await t.db
    .insertInto('receipts')
    .values({
      merchant_id: merchantId,
      idempotency_key: `k${++key}`,
      request_hash: Buffer.from('x'),
      buyer_id: buyerId,
      amount,
      discount,
      points_paid: 100,
      paid_money: amount - discount - 100,
      accrual: 250,
      calculation: JSON.stringify({}),
      response: JSON.stringify({}),
      created_at: new Date(at),
    })
    .execute();
}

async function buyer(merchantId: string, at: string): Promise<string> {
  const row = await t.db
    .insertInto('buyers')
    .values({ merchant_id: merchantId, channel: 'cabinet', registered_at: new Date(at) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('GET /reports/sales-summary (G1)', () => {
  it('sums receipts and registrations per Moscow day, zero-filled', async () => {
    const analyst = await t.signIn('analyst');
    const m = analyst.merchantId;
    // 2026-03-01 21:30Z is 2026-03-02 00:30 in Moscow (UTC+3): it belongs to the 2nd.
    const b1 = await buyer(m, '2026-03-01T10:00:00Z');
    await buyer(m, '2026-03-01T21:30:00Z');
    await receipt(m, '2026-03-01T09:00:00Z', 100_000, 10_000, b1);
    await receipt(m, '2026-03-01T12:00:00Z', 50_000, 0, null);
    await receipt(m, '2026-03-01T21:30:00Z', 30_000, 0, b1);
    // Outside the period on either side (Moscow days).
    await receipt(m, '2026-02-28T20:59:00Z', 999_000, 0, null);
    await receipt(m, '2026-03-03T21:00:00Z', 999_000, 0, null);
    const other = await t.createMerchant();
    await receipt(other, '2026-03-01T09:00:00Z', 777_000, 0, null);

    const response = await analyst.request(
      'GET',
      '/api/v1/reports/sales-summary?from=2026-03-01&to=2026-03-03',
    );
    expect(response.statusCode).toBe(200);
    const body = response.json<Summary>();
    expect(body.timeZone).toBe('Europe/Moscow');
    expect(body.days.map((d) => [d.date, d.revenue, d.receipts, d.loyaltyReceipts, d.newBuyers])).toEqual([
      ['2026-03-01', 140_000, 2, 1, 1],
      ['2026-03-02', 30_000, 1, 1, 1],
      ['2026-03-03', 0, 0, 0, 0],
    ]);
    expect(body.days[2]?.averageCheck).toBeNull();
    expect(body.totals).toEqual({
      revenue: 170_000,
      receipts: 3,
      averageCheck: 56_667,
      returns: 0,
      returnedAmount: 0,
      loyaltyReceipts: 2,
      discount: 10_000,
      pointsAccrued: 750,
      pointsSpent: 300,
      newBuyers: 2,
    });
  });

  it('refuses a reversed period and an anonymous caller', async () => {
    const owner = await t.signIn('owner');
    const reversed = await owner.request(
      'GET',
      '/api/v1/reports/sales-summary?from=2026-03-02&to=2026-03-01',
    );
    expect(reversed.statusCode).toBe(400);
    const anonymous = await t.app.inject({
      method: 'GET',
      url: '/api/v1/reports/sales-summary?from=2026-03-01&to=2026-03-01',
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

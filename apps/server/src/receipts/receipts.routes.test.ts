// Receipts in the cabinet: newest first, filtered by buyer and by the merchant's days, paged with
// a total; one receipt with its lines; another merchant's receipt is 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

let key = 0;
async function receipt(merchantId: string, at: string, buyerId: string | null): Promise<string> {
  const row = await t.db
    .insertInto('receipts')
    .values({
      merchant_id: merchantId,
      idempotency_key: `r${++key}`,
      request_hash: Buffer.from('x'),
      buyer_id: buyerId,
      number: `N${key}`,
      amount: 10_000,
      discount: 500,
      points_paid: 0,
      paid_money: 9_500,
      accrual: 190,
      calculation: JSON.stringify({}),
      response: JSON.stringify({}),
      created_at: new Date(at),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('receipt_lines')
    .values({
      receipt_id: row.id,
      merchant_id: merchantId,
      position: 0,
      product_id: 'SKU-1',
      category_id: null,
      quantity: 2000,
      price: 5_000,
      amount: 10_000,
      discount: 500,
      points_paid: 0,
      paid_money: 9_500,
      accrual: 190,
    })
    .execute();
  return row.id;
}

type Page = { items: { id: string; number: string; buyerId: string | null }[]; total: number };

describe('GET /receipts', () => {
  it('lists by buyer and Moscow day, newest first, and shows one with its lines', async () => {
    const analyst = await t.signIn('analyst');
    const m = analyst.merchantId;
    const buyer = (
      await t.db
        .insertInto('buyers')
        .values({ merchant_id: m, channel: 'cabinet' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const first = await receipt(m, '2026-04-01T08:00:00Z', buyer);
    const second = await receipt(m, '2026-04-01T22:00:00Z', buyer); // 2 April in Moscow
    await receipt(m, '2026-04-01T09:00:00Z', null);
    const foreign = await receipt(await t.createMerchant(), '2026-04-01T08:00:00Z', null);

    const byBuyer = (await analyst.request('GET', `/api/v1/receipts?buyerId=${buyer}`)).json<Page>();
    expect(byBuyer.total).toBe(2);
    expect(byBuyer.items.map((r) => r.id)).toEqual([second, first]);

    const firstDay = await analyst.request(
      'GET',
      '/api/v1/receipts?dateFrom=2026-04-01&dateTo=2026-04-01&pageSize=1',
    );
    expect(firstDay.statusCode).toBe(200);
    const page = firstDay.json<Page>();
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);

    const one = await analyst.request('GET', `/api/v1/receipts/${first}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({
      id: first,
      amount: 10_000,
      lines: [{ productId: 'SKU-1', quantity: 2000, amount: 10_000, accrual: 190 }],
    });
    expect((await analyst.request('GET', `/api/v1/receipts/${foreign}`)).statusCode).toBe(404);
  });
});

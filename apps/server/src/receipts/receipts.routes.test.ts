// Receipts in the cabinet: newest first, filtered by buyer and by the merchant's days, paged with
// a total; one receipt with its lines; another merchant's receipt is 404. The list and its XLSX
// name each receipt's cashier and filter by one or several cashiers (issue 6, G5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetRows } from '#import-export/upload.test-helper.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

let key = 0;
async function receipt(
  merchantId: string,
  at: string,
  buyerId: string | null,
  cashierId: string | null = null,
): Promise<string> {
  const row = await t.db
    .insertInto('receipts')
    .values({
      merchant_id: merchantId,
      idempotency_key: `r${++key}`,
      request_hash: Buffer.from('x'),
      buyer_id: buyerId,
      cashier_id: cashierId,
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

type Page = {
  items: {
    id: string;
    number: string;
    buyerId: string | null;
    cashierId: string | null;
    cashierName: string | null;
  }[];
  total: number;
};

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

describe('the cashier on GET /receipts and its export (issue 6, G5)', () => {
  it('names the cashier, filters by one or several, and the XLSX has the column and the filter', async () => {
    const owner = await t.signIn('owner');
    const m = owner.merchantId;
    const cashier = async (name: string, session = owner) => {
      const res = await session.request('POST', '/api/v1/cashiers', { name, role: 'cashier', storeId: null });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const anna = await cashier('Анна Смирнова');
    const oleg = await cashier('Олег Быстров');
    const byAnna = await receipt(m, '2026-05-02T08:00:00Z', null, anna);
    const byOleg = await receipt(m, '2026-05-02T09:00:00Z', null, oleg);
    const nobody = await receipt(m, '2026-05-02T10:00:00Z', null);
    const other = await t.signIn('owner');
    const foreign = await cashier('Чужой кассир', other);
    await receipt(other.merchantId, '2026-05-02T08:00:00Z', null, foreign);

    const list = async (query: string) => {
      const res = await owner.request('GET', `/api/v1/receipts?pageSize=100${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Page>();
    };
    const all = await list('');
    expect(all.items.map((r) => [r.id, r.cashierId, r.cashierName])).toEqual([
      [nobody, null, null],
      [byOleg, oleg, 'Олег Быстров'],
      [byAnna, anna, 'Анна Смирнова'],
    ]);
    expect((await list(`&cashierId=${anna}`)).items.map((r) => r.id)).toEqual([byAnna]);
    const both = await list(`&cashierId=${anna}&cashierId=${oleg}`);
    expect(both.items.map((r) => r.id)).toEqual([byOleg, byAnna]);
    expect(both.total).toBe(2);
    expect((await list(`&cashierId=${anna},${oleg}`)).total).toBe(2);
    // Another merchant's cashier matches nothing here, as in the sales log.
    expect((await list(`&cashierId=${foreign}`)).total).toBe(0);
    const one = await owner.request('GET', `/api/v1/receipts/${byOleg}`);
    expect(one.json()).toMatchObject({ id: byOleg, cashierId: oleg, cashierName: 'Олег Быстров' });

    const bad = await owner.request('GET', '/api/v1/receipts?cashierId=nobody');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_request' });
    const badExport = await owner.request('GET', '/api/v1/exports/receipts.xlsx?cashierId=nobody');
    expect(badExport.statusCode).toBe(400);
    expect(badExport.json()).toMatchObject({ code: 'invalid_request' });

    const file = await owner.request('GET', `/api/v1/exports/receipts.xlsx?cashierId=${oleg}`);
    expect(file.statusCode, file.body).toBe(200);
    const [header, ...rows] = await sheetRows(file.rawPayload);
    const cashierColumn = header?.indexOf('Кассир') ?? -1;
    const idColumn = header?.indexOf('ID') ?? -1;
    expect(cashierColumn).toBeGreaterThan(0);
    expect(rows.map((r) => [r[idColumn], r[cashierColumn]])).toEqual([[byOleg, 'Олег Быстров']]);
    const everything = await sheetRows(
      (await owner.request('GET', '/api/v1/exports/receipts.xlsx')).rawPayload,
    );
    expect(everything.slice(1).map((r) => r[idColumn])).toEqual([nobody, byOleg, byAnna]);
  });
});

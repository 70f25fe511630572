// G5 sales log on a real PostgreSQL: sales and a partial return made through the REST purchase
// flow appear in one list (returns negative), filtered by type, store, buyer and the merchant's
// days, sorted and paged; a return's lines; the XLSX export equals the list; the sales summary
// takes the return off revenue and points; merchants and roles kept apart.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetRows } from '#import-export/upload.test-helper.ts';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

type Entry = {
  id: string;
  type: 'sale' | 'return';
  receiptId: string;
  number: string | null;
  storeId: string | null;
  buyerId: string | null;
  total: number;
  discount: number;
  pointsPaid: number;
  paidMoney: number;
  accrual: number;
};
type Page = { items: Entry[]; total: number };
type Receipt = {
  id: string;
  amount: number;
  discount: number;
  pointsPaid: number;
  paidMoney: number;
  accrual: number;
};
type ReturnTotals = { amount: number; refundMoney: number; pointsRestored: number; accrualReversed: number };

let t: TestApp;
let owner: Session;
let storeA: string;
let storeB: string;
let buyerId: string;
let sale1: Receipt;
let sale2: Receipt;
let returnId: string;
let returned: ReturnTotals;
let receiptReversed: number;

const today = () =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Moscow',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

async function ok<T>(session: Session, method: string, url: string, body?: unknown): Promise<T> {
  const res = await session.request(method, url, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json<T>();
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
  await ok(owner, 'POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: {
      accrual: { kind: 'percent', percent: 500 },
      expiry: { kind: 'days', days: 365 },
      activation: { kind: 'immediate' },
      payment: { kind: 'up_to', percent: 10_000, minPoints: 0 },
    },
  });
  storeA = (
    await ok<{ id: string }>(owner, 'POST', '/api/v1/stores', { name: 'Центр', address: 'ул. Ленина, 1' })
  ).id;
  storeB = (
    await ok<{ id: string }>(owner, 'POST', '/api/v1/stores', { name: 'Вокзал', address: 'пл. Победы, 2' })
  ).id;
  buyerId = (await ok<{ id: string }>(owner, 'POST', '/api/v1/buyers', { phone: '+79005550011' })).id;
  await ok(owner, 'POST', `/api/v1/buyers/${buyerId}/points`, {
    operation: 'accrue',
    points: 10_000,
    reason: 'Стартовый баланс',
  });
  const confirm = (body: object) =>
    ok<{ receiptId: string }>(owner, 'POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `log-${randomUUID()}`,
      ...body,
    });
  const first = await confirm({
    storeId: storeA,
    number: 'A-1',
    buyer: { buyerId },
    lines: [
      { productId: 'milk', price: 10_000, quantity: 3000 },
      { productId: 'bread', price: 5_000, quantity: 1000 },
    ],
    pointsToPay: 4_000,
  });
  const second = await confirm({
    storeId: storeB,
    number: 'B-1',
    lines: [{ productId: 'tea', price: 25_000, quantity: 1000 }],
    pointsToPay: 0,
  });
  const back = await ok<{
    returnId: string;
    result: { totals: ReturnTotals; receiptAccrualsReversed: { points: number }[] };
  }>(owner, 'POST', `/api/v1/purchases/${first.receiptId}/return`, {
    idempotencyKey: `log-return-${randomUUID()}`,
    lines: [{ index: 0, quantity: 1000 }],
  });
  returnId = back.returnId;
  returned = back.result.totals;
  receiptReversed = back.result.receiptAccrualsReversed.reduce((s, a) => s + a.points, 0);
  sale1 = await ok<Receipt>(owner, 'GET', `/api/v1/receipts/${first.receiptId}`);
  sale2 = await ok<Receipt>(owner, 'GET', `/api/v1/receipts/${second.receiptId}`);
});
afterAll(async () => {
  await t.close();
});

const log = (query = '', as: Session = owner) => ok<Page>(as, 'GET', `/api/v1/sales-log${query}`);

describe('GET /sales-log (G5)', () => {
  it('lists both sales and the partial return, newest first, the return negative', async () => {
    expect(returned.amount).toBeGreaterThan(0);
    expect(returned.pointsRestored).toBeGreaterThan(0);
    const page = await log();
    expect(page.total).toBe(3);
    expect(page.items.map((e) => [e.type, e.number])).toEqual([
      ['return', 'A-1'],
      ['sale', 'B-1'],
      ['sale', 'A-1'],
    ]);
    expect(page.items[0]).toMatchObject({
      id: returnId,
      receiptId: sale1.id,
      storeId: storeA,
      buyerId,
      total: -returned.amount,
      discount: 0,
      pointsPaid: -returned.pointsRestored,
      paidMoney: -returned.refundMoney,
      accrual: -(returned.accrualReversed + receiptReversed),
      overdraft: 0,
    });
    expect(page.items[2]).toMatchObject({
      id: sale1.id,
      total: sale1.amount - sale1.discount,
      pointsPaid: sale1.pointsPaid,
      paidMoney: sale1.paidMoney,
      accrual: sale1.accrual,
      overdraft: 0,
    });
    // The return took back the value of one milk out of three: a third of the first line.
    expect(returned.refundMoney + returned.pointsRestored).toBe(returned.amount);
  });

  it('filters by type, store, buyer and day, sorts by total and pages', async () => {
    expect((await log('?type=return')).items.map((e) => e.id)).toEqual([returnId]);
    expect((await log('?type=sale')).items.map((e) => e.id)).toEqual([sale2.id, sale1.id]);
    expect((await log(`?storeId=${storeB}`)).items.map((e) => e.id)).toEqual([sale2.id]);
    expect((await log(`?buyerId=${buyerId}`)).items.map((e) => e.id)).toEqual([returnId, sale1.id]);
    expect((await log(`?dateFrom=${today()}&dateTo=${today()}`)).total).toBe(3);
    expect((await log('?dateFrom=2020-01-01&dateTo=2020-01-31')).total).toBe(0);
    expect((await log('?sort=total&order=asc')).items.map((e) => e.id)).toEqual(
      [returnId, sale2.id, sale1.id].sort((a, b) => {
        const totals = new Map([
          [returnId, -returned.amount],
          [sale1.id, sale1.amount - sale1.discount],
          [sale2.id, sale2.amount - sale2.discount],
        ]);
        return (totals.get(a) ?? 0) - (totals.get(b) ?? 0);
      }),
    );
    const second = await log('?pageSize=1&page=2');
    expect(second).toMatchObject({ total: 3, items: [{ id: sale2.id }] });
  });

  it('refuses bad filters in Russian and keeps merchants and their returns apart', async () => {
    const bad = await owner.request(
      'GET',
      '/api/v1/sales-log?type=refund&dateFrom=2026-03-02&dateTo=2026-03-01',
    );
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ details: { issues: { path: string }[] } }>().details.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['querystring.type']));
    const stranger = await t.signIn('owner');
    expect(await log('', stranger)).toMatchObject({ total: 0, items: [] });
    expect((await stranger.request('GET', `/api/v1/returns/${returnId}`)).statusCode).toBe(404);
    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await log('', analyst)).total).toBe(3);
  });

  it('answers a return with its lines', async () => {
    const detail = await ok<{
      receiptId: string;
      lines: { position: number; productId: string; quantity: number; refundMoney: number }[];
    }>(owner, 'GET', `/api/v1/returns/${returnId}`);
    expect(detail).toMatchObject({
      receiptId: sale1.id,
      lines: [{ position: 0, productId: 'milk', quantity: 1000, refundMoney: returned.refundMoney }],
    });
  });

  it('exports the same rows in the same order as XLSX', async () => {
    const res = await owner.request('GET', '/api/v1/exports/sales-log.xlsx?sort=total&order=desc');
    expect(res.statusCode, res.body).toBe(200);
    const [header = [], ...rows] = await sheetRows(res.rawPayload);
    expect(header.slice(0, 10)).toEqual([
      'Дата',
      'Операция',
      'Номер чека',
      'Магазин',
      'Кассир',
      'Сумма, ₽',
      'Скидка, ₽',
      'Оплачено баллами',
      'Оплачено деньгами, ₽',
      'Начислено баллов',
    ]);
    const listed = (await log('?sort=total&order=desc')).items;
    // These operations name no cashier (sales-log-cashier.test.ts covers those that do).
    expect(rows.map((r) => r.slice(1, 10))).toEqual(
      listed.map((e) => [
        e.type === 'sale' ? 'Продажа' : 'Возврат',
        e.number,
        e.storeId === storeA ? 'Центр' : 'Вокзал',
        null,
        e.total / 100,
        e.discount / 100,
        e.pointsPaid / 100,
        e.paidMoney / 100,
        e.accrual / 100,
      ]),
    );
    expect(rows.map((r) => r[10])).toEqual(listed.map((e) => e.id));
  });
});

describe('GET /reports/sales-summary with returns (G5)', () => {
  it('takes the return off revenue and points, counting it on its own day', async () => {
    const day = today();
    const summary = await ok<{ totals: Record<string, number | null> }>(
      owner,
      'GET',
      `/api/v1/reports/sales-summary?from=${day}&to=${day}`,
    );
    const revenue = sale1.amount - sale1.discount + sale2.amount - sale2.discount - returned.amount;
    expect(summary.totals).toMatchObject({
      receipts: 2,
      returns: 1,
      returnedAmount: returned.amount,
      revenue,
      averageCheck: Math.round(revenue / 2),
      pointsSpent: sale1.pointsPaid - returned.pointsRestored,
      pointsAccrued: sale1.accrual + sale2.accrual - returned.accrualReversed - receiptReversed,
    });
  });
});

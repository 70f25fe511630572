// C6 through the API on a real PostgreSQL: series paged and searched by the server, codes by
// state, a blocked code or series refused by the engine at the purchase and accepted again once
// unblocked, usage as redemptions per receipt (receipt, buyer, when; the buyer only for those who
// may read buyers), the codes' XLSX export with the same rows, and roles and merchants enforced.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { sheetRows } from '#import-export/upload.test-helper.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { couponSeries, couponShop, type CouponShop } from './coupon.test-helper.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Shop = CouponShop;
type Series = {
  id: string;
  name: string;
  codesCount: number;
  usedCount: number;
  blockedCount: number;
  redemptionsCount: number;
};
type Page<T> = { items: T[]; total: number; page: number; pageSize: number };
type Code = { code: string; uses: number; blocked: boolean };

const shop = () => couponShop(t);
const series = (s: Shop, name: string, codes: unknown, usage: 'single' | 'multi' = 'single') =>
  couponSeries<Series>(s, name, codes, usage);

async function codesOf(s: Shop, seriesId: string, query = '') {
  const res = await s.owner.request('GET', `/api/v1/coupon-series/${seriesId}/codes?pageSize=1000${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page<Code>>();
}

/** A 1,000 RUB purchase presenting `code`, confirmed (booked) or only calculated. */
async function purchase(s: Shop, code: string, buyerId: string | null, confirm = true) {
  const res = await s.owner.request('POST', `/api/v1/purchases/${confirm ? 'confirm' : 'calculate'}`, {
    ...(confirm ? { idempotencyKey: randomUUID() } : {}),
    storeId: s.storeId,
    buyer: buyerId ? { buyerId } : null,
    lines: [{ productId: 'p1', price: 100_000, quantity: 1000 }],
    coupons: [code],
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ receiptId?: string; calculation: Calculation }>();
}

describe('coupon series (C6)', () => {
  it('pages and searches the series on the server, newest first, with their counts', async () => {
    const s = await shop();
    for (const name of ['Листовки май', 'Листовки июнь', 'Радио'])
      await series(s, name, { kind: 'unique', count: 3 });
    const first = (await s.owner.request('GET', '/api/v1/coupon-series?pageSize=2')).json<Page<Series>>();
    expect(first.total).toBe(3);
    expect(first.items.map((x) => x.name)).toEqual(['Радио', 'Листовки июнь']);
    const second = (await s.owner.request('GET', '/api/v1/coupon-series?pageSize=2&page=2')).json<
      Page<Series>
    >();
    expect(second.items.map((x) => x.name)).toEqual(['Листовки май']);
    expect(second.items[0]).toMatchObject({
      codesCount: 3,
      usedCount: 0,
      blockedCount: 0,
      redemptionsCount: 0,
    });
    const found = (
      await s.owner.request('GET', `/api/v1/coupon-series?search=${encodeURIComponent('овки')}`)
    ).json<Page<Series>>();
    expect(found.items.map((x) => x.name).sort()).toEqual(['Листовки июнь', 'Листовки май']);
    const bad = await s.owner.request('GET', '/api/v1/coupon-series?pageSize=0');
    expect(bad.statusCode).toBe(400);
  });

  it('a blocked code is refused at the purchase, a blocked series refuses all its codes, and unblocking restores them', async () => {
    const s = await shop();
    const made = await series(s, 'Флаеры', { kind: 'unique', count: 3, prefix: 'FL' });
    const codes = (await codesOf(s, made.id)).items.map((c) => c.code);
    const [one = '', two = ''] = codes;
    const blocked = await s.owner.request(
      'PUT',
      `/api/v1/coupon-series/${made.id}/codes/${one.toLowerCase()}/blocked`,
      {
        blocked: true,
      },
    );
    expect(blocked.statusCode, blocked.body).toBe(200);
    expect(blocked.json<Code>()).toMatchObject({ code: one, blocked: true });
    expect((await purchase(s, one, null, false)).calculation.coupons.rejected).toEqual([
      {
        code: one,
        reason: 'blocked',
        message: 'Купон заблокирован: применить его нельзя, уберите его из чека',
      },
    ]);
    expect((await purchase(s, two, null, false)).calculation.coupons.accepted).toHaveLength(1);
    expect((await codesOf(s, made.id, '&state=blocked')).items.map((c) => c.code)).toEqual([one]);
    expect((await codesOf(s, made.id, '&state=unused')).total).toBe(2);

    // The whole series: every code, counted once; blocking again changes nothing.
    const all = await s.owner.request('PUT', `/api/v1/coupon-series/${made.id}/blocked`, { blocked: true });
    expect(all.json<{ codes: number }>().codes).toBe(2);
    const again = await s.owner.request('PUT', `/api/v1/coupon-series/${made.id}/blocked`, { blocked: true });
    expect(again.json<{ codes: number }>().codes).toBe(0);
    expect(
      (await s.owner.request('GET', `/api/v1/coupon-series/${made.id}`)).json<Series>().blockedCount,
    ).toBe(3);
    expect((await purchase(s, two, null, false)).calculation.coupons.rejected).toEqual([
      {
        code: two,
        reason: 'blocked',
        message: 'Купон заблокирован: применить его нельзя, уберите его из чека',
      },
    ]);
    await s.owner.request('PUT', `/api/v1/coupon-series/${made.id}/blocked`, { blocked: false });
    expect((await purchase(s, one, null, false)).calculation.coupons.accepted).toHaveLength(1);

    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('merchant_id', '=', s.owner.merchantId)
      .where('entity_id', '=', made.id)
      .orderBy('created_at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'coupon_series.create',
      'coupon_code.block',
      'coupon_series.block',
      'coupon_series.unblock',
    ]);
    const unknown = await s.owner.request('PUT', `/api/v1/coupon-series/${made.id}/codes/NOPE/blocked`, {
      blocked: true,
    });
    expect(unknown.statusCode).toBe(404);
    const notBoolean = await s.owner.request('PUT', `/api/v1/coupon-series/${made.id}/blocked`, {
      blocked: 'yes',
    });
    expect(notBoolean.statusCode).toBe(400);
  });

  it('lists redemptions per receipt with the buyer and time, the buyer only for callers who may read buyers', async () => {
    const s = await shop();
    const made = await series(s, 'Радио', { kind: 'shared', code: 'RADIO2026' }, 'multi');
    const buyer = await t.db
      .insertInto('buyers')
      .values({
        merchant_id: s.owner.merchantId,
        channel: 'api',
        phone: '+79001234567',
        last_name: 'Купонова',
        first_name: 'Анна',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const withBuyer = await purchase(s, 'radio2026', buyer.id);
    const anonymous = await purchase(s, 'RADIO2026', null);
    const res = await s.owner.request('GET', `/api/v1/coupon-series/${made.id}/redemptions`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<Page<Record<string, unknown>>>();
    expect(page.total).toBe(2);
    // Newest first: the anonymous receipt, then the buyer's.
    expect(page.items).toEqual([
      expect.objectContaining({
        code: 'RADIO2026',
        receiptId: anonymous.receiptId,
        buyerId: null,
        buyerName: null,
        storeName: 'Магазин на Мира',
        amount: 100_000,
        discount: 10_000,
      }),
      expect.objectContaining({
        receiptId: withBuyer.receiptId,
        buyerId: buyer.id,
        buyerName: 'Купонова Анна',
        buyerPhone: '+79001234567',
      }),
    ]);
    expect(Date.parse(String(page.items[0]?.redeemedAt))).toBeGreaterThan(Date.now() - 60_000);
    expect((await s.owner.request('GET', `/api/v1/coupon-series/${made.id}`)).json<Series>()).toMatchObject({
      usedCount: 1,
      redemptionsCount: 2,
    });

    // An API key with settings:read only sees the redemptions without the buyer's name or phone.
    const key = await s.owner.request('POST', '/api/v1/api-keys', {
      name: 'Отчёты',
      scopes: ['settings:read'],
    });
    expect(key.statusCode, key.body).toBe(201);
    const viaKey = await t.app.inject({
      method: 'GET',
      url: `/api/v1/coupon-series/${made.id}/redemptions`,
      headers: { authorization: `Bearer ${key.json<{ key: string }>().key}` },
    });
    expect(viaKey.statusCode, viaKey.body).toBe(200);
    const hidden = viaKey.json<Page<Record<string, unknown>>>().items[1];
    expect(hidden).toMatchObject({ buyerId: buyer.id, buyerName: null, buyerPhone: null });

    // The same rows as XLSX, newest first; money in roubles; the buyer as the list shows it.
    const file = await s.owner.request('GET', `/api/v1/exports/coupon-redemptions.xlsx?seriesId=${made.id}`);
    expect(file.statusCode, file.body).toBe(200);
    const [header, ...rows] = await sheetRows(file.rawPayload);
    expect(header).toEqual([
      'Когда',
      'Код',
      'Чек',
      'Магазин',
      'Сумма чека, ₽',
      'Скидка по чеку, ₽',
      'Покупатель',
      'Телефон покупателя',
    ]);
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['RADIO2026', anonymous.receiptId, 'Магазин на Мира', 1000, 100],
      ['RADIO2026', withBuyer.receiptId, 'Магазин на Мира', 1000, 100, 'Купонова Анна', '+79001234567'],
    ]);
    expect(rows[0]?.[0]).toBeInstanceOf(Date);
    const keyFile = await t.app.inject({
      method: 'GET',
      url: `/api/v1/exports/coupon-redemptions.xlsx?seriesId=${made.id}`,
      headers: { authorization: `Bearer ${key.json<{ key: string }>().key}` },
    });
    const [, ...keyRows] = await sheetRows(keyFile.rawPayload);
    expect(keyRows[1]?.slice(6) ?? []).toEqual([]);
  });

  it('exports the codes as XLSX with the codes table rows and filters', async () => {
    const s = await shop();
    const made = await series(s, 'Печать', { kind: 'unique', count: 12, prefix: 'PR' });
    const codes = (await codesOf(s, made.id)).items;
    await s.owner.request('PUT', `/api/v1/coupon-series/${made.id}/codes/${codes[3]?.code}/blocked`, {
      blocked: true,
    });
    await purchase(s, codes[5]?.code ?? '', null);
    const res = await s.owner.request('GET', `/api/v1/exports/coupon-codes.xlsx?seriesId=${made.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/coupon-codes-/);
    const [header, ...rows] = await sheetRows(res.rawPayload);
    expect(header).toEqual([
      'Код',
      'Использований',
      'Заблокирован',
      'Последнее использование',
      'Выдан покупателю',
    ]);
    expect(rows.map((r) => r[0])).toEqual(codes.map((c) => c.code));
    expect(rows[3]?.[2]).toBe('да');
    expect(rows[5]?.[1]).toBe(1);
    expect(rows[5]?.[3]).toBeInstanceOf(Date);
    expect(rows[4]?.[3] ?? null).toBeNull();
    const onlyBlocked = await s.owner.request(
      'GET',
      `/api/v1/exports/coupon-codes.xlsx?seriesId=${made.id}&state=blocked`,
    );
    const [, ...blockedRows] = await sheetRows(onlyBlocked.rawPayload);
    expect(blockedRows.map((r) => r[0])).toEqual([codes[3]?.code]);
  });

  it('exports the promotion and series lists as XLSX with the lists rows, order and filters', async () => {
    const s = await shop();
    await series(s, 'Весна', { kind: 'unique', count: 2 });
    await series(s, 'Лето', { kind: 'shared', code: 'SUMMER' }, 'multi');
    const archived = await s.owner.request('POST', '/api/v1/promotions', {
      name: 'Старая акция',
      priority: 9,
      effect: { kind: 'ladder', steps: [0, 5000] },
    });
    await s.owner.request('POST', `/api/v1/promotions/${archived.json<{ id: string }>().id}/archive`);

    const list = (await s.owner.request('GET', '/api/v1/promotions')).json<Page<{ name: string }>>();
    const all = await s.owner.request('GET', '/api/v1/exports/promotions.xlsx');
    expect(all.statusCode, all.body).toBe(200);
    const [header, ...rows] = await sheetRows(all.rawPayload);
    expect(header?.slice(0, 3)).toEqual(['Название', 'Состояние', 'Приоритет']);
    expect(rows.map((r) => r[0])).toEqual(list.items.map((p) => p.name));
    expect(rows[0]).toEqual(expect.arrayContaining(['Старая акция', 'в архиве', 9, 'лесенка']));
    const [, ...active] = await sheetRows(
      (await s.owner.request('GET', '/api/v1/exports/promotions.xlsx?state=active')).rawPayload,
    );
    expect(active.map((r) => r[0]).sort()).toEqual(['Акция Весна', 'Акция Лето']);

    const seriesFile = await s.owner.request(
      'GET',
      `/api/v1/exports/coupon-series.xlsx?search=${encodeURIComponent('Лет')}`,
    );
    expect(seriesFile.statusCode, seriesFile.body).toBe(200);
    const [seriesHeader, ...seriesRows] = await sheetRows(seriesFile.rawPayload);
    expect(seriesHeader?.slice(0, 3)).toEqual(['Серия', 'Акция', 'Использование']);
    expect(seriesRows).toEqual([['Лето', 'Акция Лето', 'многократный', null, null, 1, 0, 0, 0]]);
    const stranger = await t.signIn('owner');
    const [, ...none] = await sheetRows(
      (await stranger.request('GET', '/api/v1/exports/coupon-series.xlsx')).rawPayload,
    );
    expect(none).toEqual([]);
  });

  it('keeps writes to promotions:write and every series to its merchant', async () => {
    const s = await shop();
    const made = await series(s, 'Своя', { kind: 'shared', code: 'OWN-1' });
    const analyst = await t.signIn('analyst', s.owner.merchantId);
    expect((await analyst.request('GET', `/api/v1/coupon-series/${made.id}/codes`)).statusCode).toBe(200);
    expect(
      (await analyst.request('PUT', `/api/v1/coupon-series/${made.id}/blocked`, { blocked: true }))
        .statusCode,
    ).toBe(403);
    const stranger = await t.signIn('owner');
    for (const url of [
      `/api/v1/coupon-series/${made.id}`,
      `/api/v1/coupon-series/${made.id}/codes`,
      `/api/v1/coupon-series/${made.id}/redemptions`,
      `/api/v1/exports/coupon-codes.xlsx?seriesId=${made.id}`,
    ])
      expect((await stranger.request('GET', url)).statusCode, url).toBe(404);
    expect(
      (await stranger.request('PUT', `/api/v1/coupon-series/${made.id}/blocked`, { blocked: true }))
        .statusCode,
    ).toBe(404);
    expect((await stranger.request('GET', '/api/v1/coupon-series')).json<Page<Series>>().total).toBe(0);
    expect((await codesOf(s, made.id)).items[0]?.blocked).toBe(false);
  });
});

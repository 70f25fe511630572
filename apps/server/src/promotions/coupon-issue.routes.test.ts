// C6 personal codes through the API on a real PostgreSQL: a code of a unique-code series issued to
// a named buyer (the first free one, or a chosen one), answered again on a repeat without a second
// audit entry, listed on the buyer, refused by the engine for any other buyer and for an anonymous
// sale, redeemed by its buyer; shared codes, taken and used codes refused with reasons; roles and
// merchants enforced.
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
type Code = { code: string; uses: number; blocked: boolean; issuedToBuyerId: string | null };

const shop = () => couponShop(t);
const series = async (s: Shop, name: string, codes: unknown, usage: 'single' | 'multi' = 'single') =>
  (await couponSeries(s, name, codes, usage)).id;

async function buyer(s: Shop, phone: string, lastName: string): Promise<string> {
  const row = await t.db
    .insertInto('buyers')
    .values({ merchant_id: s.owner.merchantId, channel: 'api', phone, last_name: lastName })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function codes(s: Shop, seriesId: string): Promise<Code[]> {
  const res = await s.owner.request('GET', `/api/v1/coupon-series/${seriesId}/codes?pageSize=100`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Code[] }>().items;
}

async function purchase(s: Shop, code: string, buyerId: string | null, confirm = false) {
  const res = await s.owner.request('POST', `/api/v1/purchases/${confirm ? 'confirm' : 'calculate'}`, {
    ...(confirm ? { idempotencyKey: randomUUID() } : {}),
    storeId: s.storeId,
    buyer: buyerId ? { buyerId } : null,
    lines: [{ productId: 'p1', price: 100_000, quantity: 1000 }],
    coupons: [code],
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ calculation: Calculation }>().calculation.coupons;
}

describe('coupon codes issued to a named buyer (C6)', () => {
  it('issues the first free code once, lists it on the buyer, and only that buyer may redeem it', async () => {
    const s = await shop();
    const seriesId = await series(s, 'Персональные', { kind: 'unique', count: 3, prefix: 'VIP' });
    const anna = await buyer(s, '+79001110001', 'Купонова');
    const boris = await buyer(s, '+79001110002', 'Чужой');
    const [first, second] = (await codes(s, seriesId)).map((c) => c.code);

    const issued = await s.owner.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, {
      buyerId: anna,
    });
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json<Code>()).toEqual({ code: first, uses: 0, blocked: false, issuedToBuyerId: anna });
    // A repeat (a double click, a retry) answers the code she holds; nothing more is issued.
    const again = await s.owner.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, {
      buyerId: anna,
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<Code>().code).toBe(first);
    // Another buyer gets the next free code.
    const forBoris = await s.owner.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, {
      buyerId: boris,
    });
    expect(forBoris.json<Code>()).toMatchObject({ code: second, issuedToBuyerId: boris });

    const listed = await s.owner.request('GET', `/api/v1/buyers/${anna}/coupons`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json()).toEqual([
      expect.objectContaining({
        code: first,
        seriesId,
        seriesName: 'Персональные',
        uses: 0,
        usage: 'single',
      }),
    ]);
    expect((await codes(s, seriesId)).find((c) => c.code === first)?.issuedToBuyerId).toBe(anna);

    // The engine refuses Anna's code to Boris and to an anonymous sale, and takes it from Anna.
    const code = first ?? '';
    // Each refusal comes with the cashier's sentence (C6): the REST answer carries it.
    expect((await purchase(s, code, boris)).rejected).toEqual([
      {
        code,
        reason: 'issued_to_another_buyer',
        message: 'Купон выдан другому покупателю: его может применить только владелец',
      },
    ]);
    expect((await purchase(s, code, null)).rejected).toEqual([
      {
        code,
        reason: 'buyer_required',
        message:
          'Купон только для покупателя программы: сначала найдите покупателя по телефону, карте или QR',
      },
    ]);
    expect((await purchase(s, code, anna, true)).accepted).toEqual([expect.objectContaining({ code })]);
    expect((await codes(s, seriesId)).find((c) => c.code === first)?.uses).toBe(1);

    // The buyer card's export has the same code, now used once (B5).
    const exported = await s.owner.request('GET', `/api/v1/exports/buyer-coupons.xlsx?buyerId=${anna}`);
    expect(exported.statusCode, exported.body).toBe(200);
    const [header = [], ...rows] = await sheetRows(exported.rawPayload);
    expect(rows.map((r) => [r[header.indexOf('Код')], r[header.indexOf('Использований')]])).toEqual([
      [first, 1],
    ]);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('merchant_id', '=', s.owner.merchantId)
      .where('action', '=', 'coupon_code.issue')
      .orderBy('created_at')
      .execute();
    expect(audit.map((a) => a.after)).toEqual([
      { code: first, issuedToBuyerId: anna },
      { code: second, issuedToBuyerId: boris },
    ]);
  });

  it('issues a chosen code, and refuses taken, used, shared and exhausted codes with their reasons', async () => {
    const s = await shop();
    const seriesId = await series(s, 'Два кода', { kind: 'unique', count: 2 });
    const anna = await buyer(s, '+79001110003', 'Первая');
    const boris = await buyer(s, '+79001110004', 'Второй');
    const [first = '', second = ''] = (await codes(s, seriesId)).map((c) => c.code);

    const chosen = await s.owner.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, {
      buyerId: anna,
      code: second.toLowerCase(),
    });
    expect(chosen.statusCode, chosen.body).toBe(201);
    expect(chosen.json<Code>().code).toBe(second);
    const taken = await s.owner.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, {
      buyerId: boris,
      code: second,
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({
      code: 'conflict',
      message: 'Этот код уже выдан другому покупателю',
      details: { reason: 'issued_to_another_buyer' },
    });
    // The first code is used at a sale without a buyer: it can no longer become personal.
    await purchase(s, first, null, true);
    const used = await s.owner.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, {
      buyerId: boris,
      code: first,
    });
    expect(used.json()).toMatchObject({ details: { reason: 'used' } });
    const none = await s.owner.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, {
      buyerId: boris,
    });
    expect(none.statusCode).toBe(409);
    expect(none.json()).toMatchObject({ details: { reason: 'no_free_code' } });
    const unknown = await s.owner.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, {
      buyerId: boris,
      code: 'NOSUCHCODE',
    });
    expect(unknown.statusCode).toBe(404);

    const shared = await series(s, 'Радио', { kind: 'shared', code: 'RADIO77' }, 'multi');
    const refused = await s.owner.request('POST', `/api/v1/coupon-series/${shared}/issue`, {
      buyerId: anna,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ details: { reason: 'shared_code' } });
    expect(refused.json<{ message: string }>().message).toContain('общий код');
  });

  it('checks roles, merchants and bodies', async () => {
    const s = await shop();
    const seriesId = await series(s, 'Чужие', { kind: 'unique', count: 2 });
    const anna = await buyer(s, '+79001110005', 'Своя');
    const other = await shop();
    const stranger = await buyer(other, '+79001110006', 'Чужая');
    const otherSeries = await series(other, 'Другая', { kind: 'unique', count: 1 });

    const analyst = await t.signIn('analyst', s.owner.merchantId);
    const denied = await analyst.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, {
      buyerId: anna,
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'forbidden' });
    // The analyst may read the buyer's coupons, as the buyer card.
    expect((await analyst.request('GET', `/api/v1/buyers/${anna}/coupons`)).statusCode).toBe(200);

    const foreignBuyer = await s.owner.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, {
      buyerId: stranger,
    });
    expect(foreignBuyer.statusCode).toBe(404);
    const foreignSeries = await s.owner.request('POST', `/api/v1/coupon-series/${otherSeries}/issue`, {
      buyerId: anna,
    });
    expect(foreignSeries.statusCode).toBe(404);
    expect((await s.owner.request('GET', `/api/v1/buyers/${stranger}/coupons`)).statusCode).toBe(404);
    const foreignExport = await s.owner.request(
      'GET',
      `/api/v1/exports/buyer-coupons.xlsx?buyerId=${stranger}`,
    );
    expect(foreignExport.statusCode).toBe(404);
    expect((await s.owner.request('GET', '/api/v1/exports/buyer-coupons.xlsx?buyerId=x')).statusCode).toBe(
      400,
    );

    for (const body of [{}, { buyerId: 'nope' }, { buyerId: anna, code: '' }]) {
      const bad = await s.owner.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'invalid_request' });
    }
    // Nothing was issued by any refused call.
    expect((await codes(s, seriesId)).every((c) => c.issuedToBuyerId === null)).toBe(true);
    const marketer = await t.signIn('marketer', s.owner.merchantId);
    const ok = await marketer.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, { buyerId: anna });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

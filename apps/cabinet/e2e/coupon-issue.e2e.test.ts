// Personal coupon codes (C6) in Chromium against the real server: a marketer issues a code of a
// series to a buyer found by name in the series' codes, and another from the buyer's card; the API
// holds both as the buyer's, the audit log has the issue, and the purchase flow refuses the code
// to another buyer and takes it from its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './api-session.ts';
import { choose } from './antd-select.ts';
import { startCabinet, type Cabinet } from './cabinet-harness.ts';
import { standardCardType } from './programme-setup.ts';

let cabinet: Cabinet;
let ownerApi: ApiSession;
let storeId: string;
let annaId: string;
let borisId: string;

/** A 10 % promotion with a series of `count` unique codes. */
async function series(name: string, count: number, prefix: string): Promise<string> {
  const promotion = await ownerApi<{ id: string }>('POST', '/api/v1/promotions', {
    name: `Акция ${name}`,
    effect: { kind: 'discount_percent', percent: 1000 },
  });
  const made = await ownerApi<{ id: string }>('POST', '/api/v1/coupon-series', {
    name,
    promotionId: promotion.id,
    usage: 'single',
    codes: { kind: 'unique', count, prefix },
  });
  return made.id;
}

beforeAll(async () => {
  cabinet = await startCabinet();
  ownerApi = await apiSession(cabinet.app, await cabinet.user('owner'));
  await standardCardType(ownerApi);
  storeId = (
    await ownerApi<{ id: string }>('POST', '/api/v1/stores', {
      name: 'Магазин у дома',
      address: 'ул. Мира, 5',
    })
  ).id;
  annaId = (
    await ownerApi<{ id: string }>('POST', '/api/v1/buyers', {
      phone: '+79005550101',
      lastName: 'Купонова',
      firstName: 'Анна',
    })
  ).id;
  borisId = (
    await ownerApi<{ id: string }>('POST', '/api/v1/buyers', { phone: '+79005550102', lastName: 'Другов' })
  ).id;
}, 120_000);

afterAll(async () => {
  await cabinet?.close();
});

type Code = { code: string; issuedToBuyerId: string | null };
type Coupons = { accepted: { code: string }[]; rejected: { code: string; reason: string }[] };

async function calculate(code: string, buyerId: string): Promise<Coupons> {
  const res = await ownerApi<{ calculation: { coupons: Coupons } }>('POST', '/api/v1/purchases/calculate', {
    storeId,
    buyer: { buyerId },
    lines: [{ productId: 'p1', price: 100_000, quantity: 1000 }],
    coupons: [code],
  });
  return res.calculation.coupons;
}

describe('personal coupon codes (C6)', () => {
  it('a marketer issues a code to a buyer from the series and from the buyer card; only that buyer may redeem it', async () => {
    const named = await series('Именные', 3, 'VIP');
    const spring = await series('Весна', 2, 'SPR');
    const page = await cabinet.signIn(await cabinet.user('marketer'));
    await page.getByTestId('main-menu').getByText('Купоны').click();
    await page.getByRole('heading', { name: 'Купоны' }).waitFor();

    // From the series: the buyer is found by surname, the first free code is hers.
    const row = page.getByTestId('series-table').locator('tr', { hasText: 'Именные' });
    await row.getByRole('button', { name: 'Коды', exact: true }).click();
    await page.getByTestId('issue-code').click();
    await choose(page, 'issue-coupon_buyerId', 'Купонова Анна', 'Купонова');
    await page.locator('#issue-coupon-ok').click();
    const issued = page.getByTestId('issued-code');
    await issued.waitFor();
    const code = (await issued.locator('strong').first().innerText()).trim();
    expect(code).toMatch(/^VIP/);
    await cabinet.screenshot(page, 'coupon-issue-to-buyer');
    await page.locator('#issue-coupon-ok').click();

    const codes = await ownerApi<{ items: Code[] }>(
      'GET',
      `/api/v1/coupon-series/${named}/codes?pageSize=10`,
    );
    expect(codes.items.filter((c) => c.issuedToBuyerId !== null)).toEqual([
      expect.objectContaining({ code, issuedToBuyerId: annaId }),
    ]);
    // The codes table links the issued code to the buyer.
    await page
      .locator('[data-testid=codes-table] tr', { hasText: code })
      .getByRole('link', { name: 'Покупатель' })
      .waitFor();
    const audit = await ownerApi<{ items: { action: string; after: unknown }[] }>(
      'GET',
      '/api/v1/audit-log?entity=coupon_series',
    );
    expect(audit.items.find((e) => e.action === 'coupon_code.issue')?.after).toEqual({
      code,
      issuedToBuyerId: annaId,
    });

    // The code is personal: another buyer is refused, Anna is served.
    expect((await calculate(code, borisId)).rejected).toEqual([
      {
        code,
        reason: 'issued_to_another_buyer',
        message: 'Купон выдан другому покупателю: его может применить только владелец',
      },
    ]);
    expect((await calculate(code, annaId)).accepted).toEqual([expect.objectContaining({ code })]);

    // From the buyer card: her coupons list the code, and a spring code is issued from there.
    await page.goto(`${cabinet.baseUrl}/buyers/${annaId}`);
    const coupons = page.getByTestId('buyer-coupons');
    await coupons.getByText(code).waitFor();
    await coupons.getByText('Именные').waitFor();
    await page.getByTestId('issue-buyer-coupon').click();
    await choose(page, 'issue-coupon_seriesId', 'Весна', 'Весна');
    await page.locator('#issue-coupon-ok').click();
    await page.getByTestId('issued-code').waitFor();
    await page.locator('#issue-coupon-ok').click();
    await coupons.getByText('Весна').waitFor();
    await cabinet.screenshot(page, 'buyer-card-coupons');
    const held = await ownerApi<{ code: string; seriesId: string }[]>(
      'GET',
      `/api/v1/buyers/${annaId}/coupons`,
    );
    expect(held.map((c) => c.seriesId).sort()).toEqual([named, spring].sort());
    const springCodes = await ownerApi<{ items: Code[] }>(
      'GET',
      `/api/v1/coupon-series/${spring}/codes?pageSize=10`,
    );
    expect(springCodes.items.filter((c) => c.issuedToBuyerId === annaId)).toHaveLength(1);
    await page.context().close();
  });
});

// Coupons at the till (C6, A5): a personal coupon issued to another buyer is refused on the sale
// screen with the engine's sentence, stays listed as refused until the cashier removes it, and the
// buyer's own coupon applies and shows what it gave; a product scanned while the coupon field has
// focus goes to the receipt, not into the field. The booked receipt uses the coupon on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { couponSeries } from '../../server/src/promotions/coupon.test-helper.ts';
import { BARCODE, CARD, CASHIER_CODE, startPosE2e, typeCode, type PosE2e } from './pos-e2e-fixture.ts';
import { scanAsWedge } from './wedge-keys.ts';

let e: PosE2e;
let own = '';
let foreign = '';
let seriesId = '';

beforeAll(async () => {
  e = await startPosE2e();
  const { s } = e;
  seriesId = (await couponSeries(e.s, 'Персональные', { kind: 'unique', count: 2, prefix: 'VIP' })).id;
  const other = await s.owner.request('POST', '/api/v1/buyers', { phone: '+79164445566', firstName: 'Анна' });
  expect(other.statusCode, other.body).toBe(201);
  const issue = async (buyerId: string) => {
    const res = await s.owner.request('POST', `/api/v1/coupon-series/${seriesId}/issue`, { buyerId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ code: string }>().code;
  };
  foreign = await issue(other.json<{ id: string }>().id);
  own = await issue(e.buyerId);
  // The till takes the new promotion and series with the rules.
  const synced = await e.core.handlers['sync.now']({});
  if (!synced.ok) throw new Error(synced.error.message);
}, 120_000);

afterAll(async () => {
  await e?.close();
});

describe('coupons on the sale screen in Chromium', () => {
  it("refuses another buyer's personal coupon in words and applies the buyer's own", async () => {
    const { page } = e;
    await page.getByTestId('login-screen').waitFor({ timeout: 30_000 });
    await page.getByTestId('access-code').focus();
    await typeCode(page, CASHIER_CODE);
    await page.getByTestId('sale-screen').waitFor();
    const cdp = await page.context().newCDPSession(page);
    await scanAsWedge(cdp, CARD);
    await expect.poll(() => page.getByTestId('buyer-panel').textContent()).toContain('Пётр');

    // The coupon field has focus: the product scan goes to the receipt, not into the field.
    await page.getByTestId('coupon-code').focus();
    await scanAsWedge(cdp, BARCODE);
    await expect.poll(() => page.getByTestId('total').textContent()).toContain('450,00');
    expect(await page.getByTestId('coupon-code').inputValue()).toBe('');

    // Anna's code, typed by hand (lower case: codes compare without case).
    await page.getByTestId('coupon-code').focus();
    await typeCode(page, foreign.toLowerCase());
    const refused = page.locator(`[data-testid="coupon"][data-code="${foreign}"]`);
    await expect
      .poll(() => refused.getByTestId('coupon-reason').textContent(), { timeout: 15_000 })
      .toBe('Купон выдан другому покупателю: его может применить только владелец');
    expect(await refused.textContent()).toContain('Не принят');
    expect(await page.getByTestId('total').textContent()).toContain('450,00');
    await e.shot('coupons-01-refused');
    // In English the refusal is told by its reason code.
    await page.getByRole('button', { name: 'English' }).click();
    await expect
      .poll(() => refused.getByTestId('coupon-reason').textContent())
      .toBe('The coupon was issued to another buyer: only its owner can use it');
    expect(await refused.textContent()).toContain('Refused');
    await page.getByRole('button', { name: 'Русский' }).click();
    await expect.poll(() => refused.textContent()).toContain('Не принят');

    // Removed by the cashier, then Petr's own code: 10 % off, 45,00.
    await refused.getByTestId('coupon-remove').click();
    await expect.poll(() => page.getByTestId('coupon').count()).toBe(0);
    await page.getByTestId('coupon-code').focus();
    await typeCode(page, own);
    const accepted = page.locator(`[data-testid="coupon"][data-code="${own}"]`);
    await expect
      .poll(() => accepted.getByTestId('coupon-gave').textContent(), { timeout: 15_000 })
      .toMatch(/^скидка 45,00\s?₽$/);
    expect(await accepted.textContent()).toContain('Принят');
    await expect.poll(() => page.getByTestId('total').textContent()).toContain('405,00');
    await e.shot('coupons-02-accepted');

    await page.keyboard.press('F9');
    await page.getByTestId('committed').waitFor();
    expect(await page.getByTestId('coupon').count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('coupon').count()).toBe(0);
    // The receipt syncs with its coupon: the server counts the code as used.
    await expect
      .poll(
        async () => {
          const res = await e.s.owner.request('GET', `/api/v1/coupon-series/${seriesId}/codes?pageSize=10`);
          return res.json<{ items: { code: string; uses: number }[] }>().items.find((c) => c.code === own)
            ?.uses;
        },
        { timeout: 30_000 },
      )
      .toBe(1);
  }, 120_000);
});

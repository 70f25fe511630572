// The buyer at the till in Chromium (A2, A4, D6): the panel with points, purchases and
// history; the cashier edits the buyer's name and the server's API shows it; then the shop loses
// the internet (the server's listener stops, the message gateway is out of reach), a buyer is
// registered without a code and buys; back online the registration syncs pending, and the next
// purchase asks for the code, read from the fake provider, which confirms the consent on the server.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMessageProvider } from '../src/core/messaging/message-provider.ts';
import { CASHIER_CODE, startPosE2e, typeCode, type PosE2e } from './pos-e2e-fixture.ts';

let e: PosE2e;

beforeAll(async () => {
  e = await startPosE2e();
}, 120_000);

afterAll(async () => {
  await e?.close();
});

const identifyByPhone = async (digits: string) => {
  const { page } = e;
  await page.keyboard.press('F2');
  await page.getByTestId('phone').fill(digits);
  await page.getByTestId('phone').press('Enter');
};

describe('the buyer panel and registration offline in Chromium (browser mode)', () => {
  it("shows the buyer's figures and edits the name, which reaches the server", async () => {
    const { page } = e;
    await page.getByTestId('login-screen').waitFor({ timeout: 30_000 });
    await page.getByTestId('access-code').focus();
    await typeCode(page, CASHIER_CODE);
    await page.getByTestId('sale-screen').waitFor();

    await identifyByPhone('9161112233');
    await expect.poll(() => page.getByTestId('buyer-panel').textContent()).toContain('Пётр');
    await expect.poll(() => page.getByTestId('points-available').textContent()).toBe('300');
    await expect.poll(() => page.getByTestId('buyer-purchases').textContent()).toBe('0');
    await expect.poll(() => page.getByTestId('buyer-history').textContent()).toContain('Покупок пока нет');

    await page.getByTestId('buyer-edit').click();
    await page.getByTestId('buyer-edit-dialog').waitFor();
    await expect.poll(() => page.getByTestId('edit-first-name').inputValue()).toBe('Пётр');
    await page.getByTestId('edit-first-name').fill('Пётр Ильич');
    await page.getByTestId('edit-email').fill('petr@example.ru');
    await page.getByTestId('edit-save').click();
    await expect.poll(() => page.getByTestId('buyer-panel').textContent()).toContain('Пётр Ильич');
    await e.shot('buyer-panel-edited');

    const api = async () =>
      (await e.s.owner.request('GET', `/api/v1/buyers/${e.buyerId}`)).json<{
        firstName: string;
        email: string | null;
      }>();
    await expect.poll(async () => (await api()).firstName, { timeout: 20_000 }).toBe('Пётр Ильич');
    expect((await api()).email).toBe('petr@example.ru');
  }, 120_000);

  it('registers without a code offline and confirms the consent with a code on the next purchase', async () => {
    const { page } = e;
    const messages = e.core.ctx.messages;
    if (!(messages instanceof FakeMessageProvider)) throw new Error('the e2e core uses the fake provider');
    await page.getByTestId('buyer-panel').getByText('Сбросить покупателя').click();

    // The shop loses the internet: the server stops listening, the message gateway is out of reach.
    const server = e.t.app.server;
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    messages.reachable = false;
    expect((await e.core.handlers['sync.now']({})).ok).toBe(false);
    await expect
      .poll(() => page.getByTestId('online-state').textContent(), { timeout: 20_000 })
      .toBe('Нет связи с сервером');

    // A free amount (sale.e2e covers scanning): the purchase the new buyer earns points on.
    await page.getByTestId('free-amount').fill('450');
    await page.getByTestId('free-amount').press('Enter');
    await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 10_000 }).toContain('450,00');
    await page.keyboard.press('F5');
    await page.getByTestId('register-dialog').waitFor();
    await page.getByTestId('register-phone').fill('9167778899');
    await page.getByTestId('register-send-code').click();
    await expect.poll(() => page.getByTestId('register-problem').textContent()).toContain('без кода');
    await page.getByTestId('register-without-code-hint').waitFor();
    await page.getByTestId('register-first-name').fill('Мария');
    await e.shot('register-without-code');
    await page.getByTestId('register-without-code').click();
    await expect.poll(() => page.getByTestId('buyer-panel').textContent()).toContain('Мария');
    await page.getByTestId('consent-prompt').waitFor();
    await page.keyboard.press('F9');
    await page.getByTestId('committed').waitFor();
    await expect.poll(() => page.getByTestId('queued').textContent(), { timeout: 20_000 }).toContain(': 2');

    // Back online: the registration and the receipt sync; the server holds the buyer pending.
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    messages.reachable = true;
    await expect.poll(() => page.getByTestId('queued').textContent(), { timeout: 45_000 }).toContain(': 0');
    const onServer = () =>
      e.t.db
        .selectFrom('buyers')
        .select(['id', 'first_name', 'consent_pending', 'purchases_count'])
        .where('phone', '=', '+79167778899')
        .executeTakeFirst();
    expect(await onServer()).toMatchObject({
      first_name: 'Мария',
      consent_pending: true,
      purchases_count: 1,
    });

    // The next purchase: identified by phone, the till asks for the consent code.
    await page.keyboard.press('Escape');
    await identifyByPhone('9167778899');
    await page.getByTestId('consent-prompt').waitFor();
    await page.getByTestId('consent-send-code').click();
    await page.getByTestId('consent-code-sent').waitFor();
    const code = messages.lastCodeFor('+79167778899');
    expect(code).toMatch(/^\d{6}$/);
    await page.getByTestId('consent-code').fill(code ?? '');
    await e.shot('consent-code');
    await page.getByTestId('consent-confirm').click();
    await expect.poll(() => page.getByTestId('consent-prompt').count()).toBe(0);

    await expect.poll(async () => (await onServer())?.consent_pending, { timeout: 20_000 }).toBe(false);
    const buyer = await onServer();
    const consents = await e.t.db
      .selectFrom('buyer_consents')
      .select(['kind', 'channel', 'code', 'text_version', 'cashier_id'])
      .where('buyer_id', '=', buyer?.id ?? '')
      .execute();
    expect(consents.map((c) => c.kind).sort()).toEqual(['advertising', 'sms']);
    for (const c of consents)
      expect(c).toMatchObject({ channel: 'till', code, text_version: 'till-consent-2026-01' });
    expect(consents.every((c) => c.cashier_id !== null)).toBe(true);
  }, 150_000);
});

describe('points paid with a code in Chromium', () => {
  it('asks for the code the programme requires, sends it, and books the payment with it', async () => {
    const { page } = e;
    const messages = e.core.ctx.messages;
    if (!(messages instanceof FakeMessageProvider)) throw new Error('the e2e core uses the fake provider');
    const { id: defaultCardTypeId } = await e.t.db
      .selectFrom('card_types')
      .innerJoin('stores', 'stores.merchant_id', 'card_types.merchant_id')
      .select('card_types.id')
      .where('stores.id', '=', e.s.storeId)
      .executeTakeFirstOrThrow();
    const settings = await e.s.owner.request('PUT', '/api/v1/programme/settings', {
      type: 'bonus',
      defaultCardTypeId,
      redemptionRequiresCode: true,
    });
    expect(settings.statusCode, settings.body).toBe(200);
    expect((await e.core.handlers['sync.now']({})).ok).toBe(true);

    await page.keyboard.press('Escape');
    await identifyByPhone('9161112233');
    await expect.poll(() => page.getByTestId('buyer-panel').textContent()).toContain('Пётр Ильич');
    await page.getByTestId('free-amount').fill('450');
    await page.getByTestId('free-amount').press('Enter');
    await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 10_000 }).toContain('450,00');
    await page.getByTestId('points-to-pay').fill('100');
    await page.getByTestId('points-to-pay').press('Enter');
    await page.getByTestId('points-code').waitFor();

    // Without the code the till refuses in words.
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('problem').textContent()).toContain('подтверждается кодом');
    await page.getByTestId('points-code-send').click();
    const code = messages.lastCodeFor('+79161112233');
    expect(code).toMatch(/^\d{6}$/);
    await page.getByTestId('points-code-input').fill(code ?? '');
    await e.shot('points-code');
    await page.getByTestId('pay').click();
    await page.getByTestId('committed').waitFor();
    const receipt = e.core.ctx.db
      .prepare<[], { points_paid: number }>('SELECT points_paid FROM receipts ORDER BY seq DESC LIMIT 1')
      .get();
    expect(receipt?.points_paid).toBe(100_00);
  }, 120_000);
});

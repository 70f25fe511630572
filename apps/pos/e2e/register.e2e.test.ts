// Registration at the till (A2, D2) in Chromium: F5 opens the dialog, the code goes through the
// terminal's (fake) message provider and is read back from it, the buyer tells it, the merchant's
// questionnaire (first name and an own field made required in the cabinet API, pulled with the
// settings) is enforced, and the new buyer is identified on the sale screen and reaches the
// server with the answers, the consent and its proof (channel, text version, code, cashier).
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

describe('registration at the till in Chromium (browser mode)', () => {
  it('registers a buyer with the code from the provider; the buyer is identified and synced', async () => {
    const { page } = e;
    const messages = e.core.ctx.messages;
    if (!(messages instanceof FakeMessageProvider)) throw new Error('the e2e core uses the fake provider');
    await page.getByTestId('login-screen').waitFor({ timeout: 30_000 });
    await page.getByTestId('access-code').focus();
    await typeCode(page, CASHIER_CODE);
    await page.getByTestId('sale-screen').waitFor();
    const required = await e.s.owner.request('PATCH', '/api/v1/questionnaire/standard-fields', {
      firstName: { enabled: true, required: true },
    });
    expect(required.statusCode, required.body).toBe(200);
    const field = await e.s.owner.request('POST', '/api/v1/questionnaire/fields', {
      key: 'heard_from',
      label: 'Откуда узнали',
      kind: 'text',
      required: true,
    });
    expect(field.statusCode, field.body).toBe(201);
    expect((await e.core.handlers['sync.now']({})).ok).toBe(true);

    await page.keyboard.press('F5');
    await page.getByTestId('register-dialog').waitFor();
    await page.getByTestId('register-phone').fill('9165554433');
    await expect.poll(() => page.getByTestId('register-phone').inputValue()).toBe('+7 (916) 555-44-33');
    await page.getByTestId('register-send-code').click();
    await page.getByTestId('register-code-sent').waitFor();
    const code = messages.lastCodeFor('+79165554433');
    expect(code).toMatch(/^\d{6}$/);

    // A wrong code is refused in words; the right one confirms.
    await page.getByTestId('register-code').fill(code === '000000' ? '111111' : '000000');
    await page.getByTestId('register-check-code').click();
    await expect.poll(() => page.getByTestId('register-problem').textContent()).toContain('Неверный код');
    await page.getByTestId('register-code').fill(code ?? '');
    await page.getByTestId('register-check-code').click();
    await page.getByTestId('register-code-ok').waitFor();

    // The first name and the merchant's own field are required.
    await page.getByTestId('register-submit').click();
    await expect.poll(() => page.getByText('Обязательное поле').count()).toBe(2);
    await page.getByTestId('register-field-heard_from').fill('От подруги');
    await page.getByTestId('register-first-name').fill('Анна');
    await page.getByTestId('register-last-name').fill('Смирнова');
    await e.shot('register');
    await page.getByTestId('register-submit').click();

    await expect.poll(() => page.getByTestId('buyer-panel').textContent()).toContain('Анна Смирнова');
    await expect.poll(() => page.getByTestId('queued').textContent(), { timeout: 20_000 }).toContain(': 0');

    const onServer = () =>
      e.t.db
        .selectFrom('buyers')
        .select(['id', 'first_name', 'answers'])
        .where('phone', '=', '+79165554433')
        .executeTakeFirst();
    await expect.poll(onServer, { timeout: 20_000 }).toBeDefined();
    const buyer = await onServer();
    if (!buyer) throw new Error('the buyer did not reach the server');
    expect(buyer.first_name).toBe('Анна');
    expect(buyer.answers).toEqual({ heard_from: 'От подруги' });
    const consents = await e.t.db
      .selectFrom('buyer_consents')
      .select(['kind', 'channel', 'text_version', 'code', 'cashier_id', 'granted'])
      .where('buyer_id', '=', buyer.id)
      .execute();
    expect(consents.map((c) => c.kind).sort()).toEqual(['advertising', 'sms']);
    for (const c of consents)
      expect(c).toMatchObject({ channel: 'till', text_version: 'till-consent-2026-01', code, granted: true });
    expect(consents.every((c) => c.cashier_id !== null)).toBe(true);
  }, 120_000);
});

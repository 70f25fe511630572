// "Forgot password" in Chromium against the real server (issue 6, C10): the login page asks for a
// link; an unknown e-mail gets the same answer and no mail; the link is read from the mail outbox,
// sets a new password once, ends the user's other sessions, and the new password signs in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './api-session.ts';
import { PASSWORD, startCabinet, type Cabinet } from './cabinet-harness.ts';

let cabinet: Cabinet;
let email: string;
const NEW_PASSWORD = 'a fresh long passphrase';

beforeAll(async () => {
  cabinet = await startCabinet();
  email = await cabinet.user('manager');
}, 120_000);

afterAll(async () => {
  await cabinet?.close();
});

const outbox = (recipient: string) =>
  cabinet.database.db
    .selectFrom('mail_outbox')
    .select(['body', 'subject', 'kind'])
    .where('recipient', '=', recipient)
    .execute();

async function askForLink(address: string) {
  const context = await cabinet.browser.newContext({
    locale: 'ru-RU',
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  await page.goto(cabinet.baseUrl);
  await page.getByRole('button', { name: 'Забыли пароль?' }).click();
  await page.locator('#forgot_email').fill(address);
  await page.getByRole('button', { name: 'Прислать ссылку' }).click();
  const sent = page.getByTestId('reset-sent');
  await sent.waitFor();
  const text = await sent.innerText();
  return { page, text };
}

describe('password reset by link', () => {
  it('answers an unknown e-mail like a known one and mails only the known', async () => {
    const unknown = await askForLink('nobody@e2e.local');
    expect(unknown.text).toContain('Если такой e-mail зарегистрирован');
    await unknown.page.context().close();
    expect(await outbox('nobody@e2e.local')).toHaveLength(0);

    const known = await askForLink(email);
    expect(known.text).toBe(unknown.text);
    await cabinet.screenshot(known.page, 'password-reset-sent');
    await known.page.context().close();
    const mails = await outbox(email);
    expect(mails.map((m) => m.kind)).toEqual(['password_reset']);
    expect(mails[0]?.subject).toContain('пароля');
  });

  it('sets a new password through the mailed link once, ends other sessions, and signs in with it', async () => {
    const otherSession = await apiSession(cabinet.app, email);
    const [mail] = await outbox(email);
    const path = /\/reset-password\?token=[\w%-]+/.exec(mail?.body ?? '')?.[0];
    expect(path).toBeDefined();

    const context = await cabinet.browser.newContext({
      locale: 'ru-RU',
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(`${cabinet.baseUrl}${path}`);
    await page.locator('#reset_newPassword').fill(NEW_PASSWORD);
    await page.locator('#reset_repeat').fill('something else entirely');
    await page.getByRole('button', { name: 'Сохранить пароль' }).click();
    await page.getByText('Пароли не совпадают').waitFor();
    await page.locator('#reset_repeat').fill(NEW_PASSWORD);
    await cabinet.screenshot(page, 'password-reset-form');
    await page.getByRole('button', { name: 'Сохранить пароль' }).click();
    await page.getByTestId('reset-to-login').click();

    await page.locator('#email').fill(email);
    await page.locator('#password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByTestId('user-menu').waitFor();
    await expect(otherSession('GET', '/api/v1/auth/me')).rejects.toThrow(/401/);
    const old = await cabinet.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD },
    });
    expect(old.statusCode).toBe(401);
    await context.close();

    // The same link a second time is refused with the server's sentence.
    const again = await cabinet.browser.newContext({ locale: 'ru-RU' });
    const second = await again.newPage();
    await second.goto(`${cabinet.baseUrl}${path}`);
    await second.locator('#reset_newPassword').fill('yet another passphrase');
    await second.locator('#reset_repeat').fill('yet another passphrase');
    await second.getByRole('button', { name: 'Сохранить пароль' }).click();
    await second.getByText('Ссылка восстановления недействительна или устарела').waitFor();
    await again.close();
  });
});

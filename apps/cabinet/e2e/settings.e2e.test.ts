// Company settings and cashier editing in Chromium against the real server (issue 6, C10, C11):
// an owner renames the company and moves it to another IANA time zone (stored, audited, the
// currency read-only), a manager has no such page and the API refuses them; an owner edits a
// cashier's name, role and store and resets the code, shown once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './api-session.ts';
import { startCabinet, type Cabinet } from './cabinet-harness.ts';

let cabinet: Cabinet;
let ownerEmail: string;
let ownerApi: ApiSession;
let storeB: string;
let cashierId: string;

beforeAll(async () => {
  cabinet = await startCabinet();
  ownerEmail = await cabinet.user('owner');
  ownerApi = await apiSession(cabinet.app, ownerEmail);
  const storeA = await ownerApi<{ id: string }>('POST', '/api/v1/stores', {
    name: 'Ромашка на Мира',
    address: 'ул. Мира, 1',
  });
  storeB = (
    await ownerApi<{ id: string }>('POST', '/api/v1/stores', {
      name: 'Ромашка у вокзала',
      address: 'пл. Вокзальная, 2',
    })
  ).id;
  cashierId = (
    await ownerApi<{ id: string }>('POST', '/api/v1/cashiers', {
      name: 'Ольга Сидорова',
      role: 'cashier',
      storeId: storeA.id,
    })
  ).id;
}, 120_000);

afterAll(async () => {
  await cabinet?.close();
});

type Settings = { name: string; timeZone: string; currency: string };

describe('company settings', () => {
  it('an owner changes the name and the time zone; stored, audited, currency read-only', async () => {
    const page = await cabinet.signIn(ownerEmail);
    await page.getByTestId('main-menu').getByText('Настройки компании').click();
    expect((await page.getByTestId('currency').innerText()).trim()).toBe('RUB');
    await page.locator('#settings_name').fill('Ромашка Урал');
    await page.locator('#settings_timeZone').click();
    await page.locator('#settings_timeZone').fill('Yekaterinburg');
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
        hasText: 'Asia/Yekaterinburg',
      })
      .click();
    await page.locator('#settings-save').click();
    await page.getByText('Настройки сохранены').waitFor();
    // The layout reads the session again: the new name is in the header.
    await page.getByText('Ромашка Урал').first().waitFor();
    await cabinet.screenshot(page, 'settings');
    expect(await ownerApi<Settings>('GET', '/api/v1/merchant')).toMatchObject({
      name: 'Ромашка Урал',
      timeZone: 'Asia/Yekaterinburg',
      currency: 'RUB',
    });
    const audit = await ownerApi<{ items: { action: string; before: Settings; after: Settings }[] }>(
      'GET',
      '/api/v1/audit-log?entity=merchant',
    );
    expect(audit.items).toMatchObject([
      {
        action: 'merchant.update',
        before: { name: 'Ромашка', timeZone: 'Europe/Moscow' },
        after: { name: 'Ромашка Урал', timeZone: 'Asia/Yekaterinburg' },
      },
    ]);
    await page.context().close();
  });

  it('a manager sees no settings page, by menu or address, and the API refuses the write', async () => {
    const email = await cabinet.user('manager');
    const page = await cabinet.signIn(email);
    expect(await page.getByTestId('main-menu').getByText('Настройки компании').count()).toBe(0);
    await page.goto(`${cabinet.baseUrl}/settings`);
    await page.getByText('Нет доступа').waitFor();
    const manager = await apiSession(cabinet.app, email);
    await expect(manager('PATCH', '/api/v1/merchant', { name: 'Чужое имя' })).rejects.toThrow(/403/);
    await page.context().close();
  });
});

describe('cashier editing', () => {
  it('an owner changes a cashier’s name, role and store, then resets the code shown once', async () => {
    const page = await cabinet.signIn(ownerEmail);
    await page.getByTestId('main-menu').getByText('Кассиры').click();
    const row = (name: string) => page.getByTestId('cashiers-table').locator('tr', { hasText: name });
    await row('Ольга Сидорова').getByRole('button', { name: 'Изменить' }).click();
    await expect.poll(() => page.locator('#cashier_name').inputValue()).toBe('Ольга Сидорова');
    expect(await page.locator('#cashier_code').count()).toBe(0);
    await page.locator('#cashier_name').fill('Ольга Петровна Сидорова');
    await page.locator('#cashier_role').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
        hasText: 'Старший кассир',
      })
      .click();
    await page.locator('#cashier_storeId').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
        hasText: 'Ромашка у вокзала',
      })
      .click();
    await cabinet.screenshot(page, 'cashier-edit');
    await page.locator('#cashier-save').click();
    const edited = row('Ольга Петровна Сидорова');
    await edited.getByText('Ромашка у вокзала').waitFor();
    await edited.getByText('Старший кассир').waitFor();
    const stored = await ownerApi<{ name: string; role: string; storeId: string }>(
      'GET',
      `/api/v1/cashiers/${cashierId}`,
    );
    expect(stored).toMatchObject({ name: 'Ольга Петровна Сидорова', role: 'senior', storeId: storeB });

    await edited.getByRole('button', { name: 'Новый код' }).click();
    await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    const code = page.getByTestId('cashier-code');
    await expect
      .poll(async () => (await code.isVisible()) && (await code.innerText()).trim())
      .toMatch(/^\d{6}$/);
    const shown = (await code.innerText()).trim();
    await page.getByTestId('close-cashier-code').click();
    expect(await page.getByTestId('cashiers-table').innerText()).not.toContain(shown);
    await page.context().close();
  });
});

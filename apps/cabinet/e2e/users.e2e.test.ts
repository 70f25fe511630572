// Users and API keys in Chromium against the real server: an owner adds a manager who can then sign
// in and sees no users page; an API key is shown once, works as a Bearer key and is revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './api-session.ts';
import { PASSWORD, startCabinet, type Cabinet } from './cabinet-harness.ts';

let cabinet: Cabinet;
let ownerEmail: string;
let ownerApi: ApiSession;

beforeAll(async () => {
  cabinet = await startCabinet();
  ownerEmail = await cabinet.user('owner');
  ownerApi = await apiSession(cabinet.app, ownerEmail);
}, 120_000);

afterAll(async () => {
  await cabinet?.close();
});

type User = { email: string; role: string; disabled: boolean };
type ApiKey = { name: string; scopes: string[]; revoked: boolean };

describe('users and API keys', () => {
  it('an owner adds a manager who then signs in, and an API key is shown once', async () => {
    const page = await cabinet.signIn(ownerEmail);
    await page.getByTestId('main-menu').getByText('Пользователи').click();
    await page.getByTestId('create-user').click();
    await page.locator('#user_email').fill('anna.manager@e2e.local');
    await page.locator('#user_name').fill('Анна Менеджер');
    await page.locator('#user_password').fill(PASSWORD);
    await cabinet.screenshot(page, 'user-create');
    await page.locator('#user-save').click();
    const row = page.getByTestId('users-table').locator('tr', { hasText: 'anna.manager@e2e.local' });
    await row.getByText('Менеджер', { exact: true }).waitFor();
    const users = await ownerApi<User[]>('GET', '/api/v1/users');
    expect(users.find((u) => u.email === 'anna.manager@e2e.local')).toMatchObject({
      role: 'manager',
      disabled: false,
    });
    await cabinet.screenshot(page, 'users');

    await page.getByRole('tab', { name: 'Ключи API' }).click();
    await page.getByTestId('create-api-key').click();
    await page.locator('#apiKey_name').fill('1С интеграция');
    await page.getByRole('checkbox', { name: 'sales:write' }).check();
    await page.getByRole('checkbox', { name: 'buyers:read' }).check();
    await page.locator('#api-key-save').click();
    const secret = page.getByTestId('api-key-secret');
    await secret.waitFor();
    const key = (await secret.innerText()).trim();
    expect(key).toMatch(/^lk_[0-9a-f]{32}_\S+$/);
    await cabinet.screenshot(page, 'api-key-shown');
    await page.getByTestId('close-api-key').click();
    const keyRow = page.getByTestId('api-keys-table').locator('tr', { hasText: '1С интеграция' });
    await keyRow.getByText('sales:write').waitFor();
    // Shown once: the list never carries the key.
    expect(await page.getByTestId('api-keys-table').innerText()).not.toContain(key);
    const keys = await ownerApi<ApiKey[]>('GET', '/api/v1/api-keys');
    expect(keys).toMatchObject([{ name: '1С интеграция', revoked: false }]);
    expect([...(keys[0]?.scopes ?? [])].sort()).toEqual(['buyers:read', 'sales:write']);
    const withKey = () =>
      cabinet.app.inject({
        method: 'GET',
        url: '/api/v1/buyers',
        headers: { authorization: `Bearer ${key}` },
      });
    expect((await withKey()).statusCode).toBe(200);
    await keyRow.getByRole('button', { name: 'Отозвать' }).click();
    await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await keyRow.getByText('Отозван').waitFor();
    expect((await withKey()).statusCode).toBe(401);
    await page.context().close();

    // The new manager signs in with the password the owner set and has no users page.
    const manager = await cabinet.signIn('anna.manager@e2e.local');
    await manager.getByTestId('main-menu').getByText('Покупатели').waitFor();
    expect(await manager.getByTestId('main-menu').getByText('Пользователи').count()).toBe(0);
    await manager.context().close();
  });

  it('an owner adds an own questionnaire field and makes a standard field required', async () => {
    const page = await cabinet.signIn(ownerEmail);
    await page.getByTestId('main-menu').getByText('Анкета').click();
    await page.getByTestId('create-field').click();
    await page.locator('#field_label').fill('Любимый напиток');
    await page.locator('#field_key').fill('drink');
    await page.locator('#field-save').click();
    await page.getByTestId('fields-table').getByText('Любимый напиток').waitFor();
    const row = page.getByTestId('standard-fields-table').locator('tr', { hasText: 'Дата рождения' });
    await row.getByRole('switch').nth(1).click();
    type Questionnaire = {
      standardFields: Record<string, { enabled: boolean; required: boolean }>;
      fields: { key: string; label: string; kind: string }[];
    };
    await expect
      .poll(
        async () => (await ownerApi<Questionnaire>('GET', '/api/v1/questionnaire')).standardFields.birthDate,
      )
      .toEqual({ enabled: true, required: true });
    const q = await ownerApi<Questionnaire>('GET', '/api/v1/questionnaire');
    expect(q.fields).toMatchObject([{ key: 'drink', label: 'Любимый напиток', kind: 'text' }]);
    await cabinet.screenshot(page, 'questionnaire');
    await page.context().close();
  });

  it('an owner makes an own field required for a category of the tree (D2)', async () => {
    const drinks = await ownerApi<{ id: string }>('POST', '/api/v1/categories', { name: 'Напитки' });
    const wine = await ownerApi<{ id: string }>('POST', '/api/v1/categories', {
      name: 'Вино',
      parentId: drinks.id,
    });
    await ownerApi('POST', '/api/v1/categories', { name: 'Хлеб' });
    await ownerApi('POST', '/api/v1/questionnaire/fields', {
      key: 'passport',
      label: 'Паспорт',
      kind: 'text',
    });
    const page = await cabinet.signIn(ownerEmail);
    await page.getByTestId('main-menu').getByText('Анкета').click();
    const row = page.getByTestId('fields-table').locator('tr', { hasText: 'Паспорт' });
    await row.getByRole('button', { name: 'Изменить' }).click();
    // The subcategory sits under its parent in the tree: pick it there.
    await page.locator('#field_requiredCategoryIds').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-title', {
        hasText: 'Вино',
      })
      .click();
    await page.locator('.ant-modal-title').click();
    await cabinet.screenshot(page, 'questionnaire-required-categories');
    await page.locator('#field-save').click();
    await row.getByText('Вино').waitFor();
    type Field = { key: string; required: boolean; requiredCategoryIds: string[] };
    const stored = await ownerApi<{ fields: Field[] }>('GET', '/api/v1/questionnaire');
    expect(stored.fields.find((f) => f.key === 'passport')).toMatchObject({
      required: false,
      requiredCategoryIds: [wine.id],
    });

    // Cleared in the editor, the field is no longer required for any category.
    await row.getByRole('button', { name: 'Изменить' }).click();
    await page.locator('#field_requiredCategoryIds').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-title', {
        hasText: 'Вино',
      })
      .click();
    await page.locator('.ant-modal-title').click();
    await page.locator('#field-save').click();
    await expect
      .poll(async () => {
        const q = await ownerApi<{ fields: Field[] }>('GET', '/api/v1/questionnaire');
        return q.fields.find((f) => f.key === 'passport')?.requiredCategoryIds;
      })
      .toEqual([]);
    await expect.poll(() => row.locator('td').nth(6).innerText()).toBe('—');
    await page.context().close();
  });
});

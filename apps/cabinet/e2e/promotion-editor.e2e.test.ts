// The promotion editor (C5) in Chromium against the real server: a marketer builds a ladder
// promotion and a buy-2-get-1 promotion on their tabs, a bad time window comes back from the
// server highlighted on its field, the API holds exactly what was typed (in basis points and
// product ids), and the preview prices a sample receipt with both, line by line.
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './api-session.ts';
import { choose, chooseInTree, openDropdown } from './antd-select.ts';
import { startCabinet, type Cabinet } from './cabinet-harness.ts';
import { standardCardType } from './programme-setup.ts';

let cabinet: Cabinet;
let ownerApi: ApiSession;
let yogurtId: string;
let juiceId: string;

beforeAll(async () => {
  cabinet = await startCabinet();
  ownerApi = await apiSession(cabinet.app, await cabinet.user('owner'));
  await standardCardType(ownerApi);
  await ownerApi('POST', '/api/v1/stores', { name: 'Магазин на Ленина', address: 'ул. Ленина, 1' });
  yogurtId = (
    await ownerApi<{ id: string }>('POST', '/api/v1/products', {
      sku: 'YOG-1',
      name: 'Йогурт',
      price: 10_000,
    })
  ).id;
  juiceId = (
    await ownerApi<{ id: string }>('POST', '/api/v1/products', { sku: 'JUICE-1', name: 'Сок', price: 4_000 })
  ).id;
}, 120_000);

afterAll(async () => {
  await cabinet?.close();
});

async function tab(page: Page, name: string) {
  await page.locator('.ant-drawer').getByRole('tab', { name }).click();
}

type Stored = {
  id: string;
  name: string;
  effect: Record<string, unknown>;
  targeting: { productIds: string[]; windows: { from: string; to: string }[] };
};

describe('promotion editor (C5)', () => {
  it('a marketer creates a ladder and a buy-2-get-1 promotion, and the preview shows both per line', async () => {
    const page = await cabinet.signIn(await cabinet.user('marketer'));
    await page.getByTestId('main-menu').getByText('Акции').click();
    await page.getByRole('heading', { name: 'Акции' }).waitFor();

    // The ladder: the first yogurt at full price, the second and later at half price.
    await page.getByTestId('create-promotion').click();
    await page.locator('#promotion_name').fill('Лесенка на йогурт');
    await tab(page, 'Что даёт');
    await choose(page, 'promotion_effect_kind', 'Лесенка');
    await page.getByTestId('add-step').click();
    await page.getByTestId('add-step').click();
    await page.locator('#promotion_effect_steps_0').fill('0');
    await page.locator('#promotion_effect_steps_1').fill('50');
    await tab(page, 'Кому, где и когда');
    await choose(page, 'promotion_targeting_productIds', 'Йогурт (YOG-1)', 'Йогурт', true);
    await cabinet.screenshot(page, 'promotion-editor-ladder');
    await page.getByTestId('promotion-save').click();
    await page.getByRole('button', { name: 'Лесенка на йогурт' }).waitFor();

    // Buy 2 juices, get the third free; a window "25:00" is refused by the server on its field.
    await page.getByTestId('create-promotion').click();
    await page.locator('#promotion_name').fill('Два плюс один');
    await tab(page, 'Что даёт');
    await choose(page, 'promotion_effect_kind', 'Купи X');
    await page.locator('#promotion_effect_buy').fill('2');
    await page.locator('#promotion_effect_get').fill('1');
    expect(await page.locator('#promotion_effect_percent').inputValue()).toBe('100');
    await tab(page, 'Кому, где и когда');
    await choose(page, 'promotion_targeting_productIds', 'Сок (JUICE-1)', 'Сок', true);
    await page.getByTestId('add-window').click();
    await page.locator('#promotion_targeting_windows_0_from').fill('25:00');
    await page.locator('#promotion_targeting_windows_0_to').fill('23:00');
    await tab(page, 'Что даёт');
    await page.getByTestId('promotion-save').click();
    await page.getByTestId('promotion-error').waitFor();
    // The editor went to the tab with the field and marked it with the server's message.
    const fromItem = page.locator('.ant-form-item', {
      has: page.locator('#promotion_targeting_windows_0_from'),
    });
    await fromItem.locator('.ant-form-item-explain-error', { hasText: 'ЧЧ:ММ' }).waitFor();
    expect(await fromItem.getAttribute('class')).toContain('ant-form-item-has-error');
    await cabinet.screenshot(page, 'promotion-editor-error');
    await page.locator('#promotion_targeting_windows_0_from').fill('08:00');
    await page.getByTestId('promotion-save').click();
    await page.getByRole('button', { name: 'Два плюс один' }).waitFor();

    const saved = await ownerApi<{ items: Stored[] }>('GET', '/api/v1/promotions?pageSize=50');
    const ladder = saved.items.find((p) => p.name === 'Лесенка на йогурт');
    const buy = saved.items.find((p) => p.name === 'Два плюс один');
    expect(ladder).toMatchObject({
      effect: { kind: 'ladder', steps: [0, 5000] },
      targeting: { productIds: [yogurtId] },
    });
    expect(buy).toMatchObject({
      effect: { kind: 'buy_x_get_y', buy: 2, get: 1, percent: 10_000 },
      targeting: { productIds: [juiceId], windows: [{ from: '08:00', to: '23:00' }] },
    });
    // The list's XLSX export has both, by priority then newest, as the list shows them.
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-promotions').click(),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await file.path());
    const names = [2, 3].map((n) => (book.worksheets[0]?.getRow(n).values as unknown[] | undefined)?.[1]);
    expect(names).toEqual(['Два плюс один', 'Лесенка на йогурт']);
    // The window would make the preview depend on the clock: widen it to the whole day through the editor.
    await page.getByRole('button', { name: 'Два плюс один' }).click();
    await tab(page, 'Кому, где и когда');
    await page.locator('#promotion_targeting_windows_0_from').fill('00:00');
    await page.locator('#promotion_targeting_windows_0_to').fill('24:00');
    await page.getByTestId('promotion-save').click();
    await page.locator('.ant-drawer-content').waitFor({ state: 'hidden' });
    await expect
      .poll(async () => {
        const list = await ownerApi<{ items: Stored[] }>('GET', '/api/v1/promotions?search=Два');
        return list.items[0]?.targeting.windows;
      })
      .toEqual([{ from: '00:00', to: '24:00' }]);

    // The preview: 2 yogurts at 100 RUB (the second at half price) and 3 juices at 40 RUB (one free).
    await page.getByTestId('open-preview').click();
    const preview = page.locator('.ant-drawer', { hasText: 'Проверить на чеке' });
    for (const [name, quantity] of [
      ['Йогурт', '2'],
      ['Сок', '3'],
    ] as const) {
      await page.locator('#preview-product').click();
      await page.keyboard.type(name);
      await page.locator(openDropdown, { hasText: name }).first().click();
      await preview.locator('tbody tr', { hasText: name }).locator('input').fill(quantity);
    }
    await page.getByTestId('preview-calculate').click();
    const result = page.getByTestId('preview-result');
    await result.waitFor();
    const row = async (name: string) =>
      (await result.locator('tbody tr', { hasText: name }).innerText()).replace(/\s+/g, ' ');
    expect(await row('Йогурт')).toContain('Лесенка на йогурт: −50,00 ₽');
    expect(await row('Сок')).toContain('Два плюс один: −40,00 ₽');
    expect((await result.innerText()).replace(/\s+/g, ' ')).toContain('Скидка 90,00 ₽');
    await cabinet.screenshot(page, 'promotion-preview-ladder');
    await page.context().close();
  });

  it('a marketer targets a subcategory and excludes one two levels down, found by search in the whole tree', async () => {
    const dairy = await ownerApi<{ id: string }>('POST', '/api/v1/categories', { name: 'Молочное' });
    const cheeses = await ownerApi<{ id: string }>('POST', '/api/v1/categories', {
      name: 'Сыры',
      parentId: dairy.id,
    });
    const hard = await ownerApi<{ id: string }>('POST', '/api/v1/categories', {
      name: 'Твёрдые сыры',
      parentId: cheeses.id,
    });
    const page = await cabinet.signIn(await cabinet.user('marketer'));
    await page.getByTestId('main-menu').getByText('Акции').click();
    await page.getByRole('heading', { name: 'Акции' }).waitFor();
    await page.getByTestId('create-promotion').click();
    await page.locator('#promotion_name').fill('Сыры кроме твёрдых −15 %');
    await tab(page, 'Что даёт');
    await page.locator('#promotion_effect_percent').fill('15');
    await tab(page, 'Кому, где и когда');
    // The node is collapsed two levels down: the search finds it, the tag shows its path.
    const path = 'Молочное / Сыры / Твёрдые сыры';
    await chooseInTree(page, 'promotion_targeting_categoryIds', 'Сыры', 'Молочное / Сыры', 'Сыр');
    await chooseInTree(page, 'promotion_targeting_excludeCategoryIds', 'Твёрдые сыры', path, 'Твёрд');
    await cabinet.screenshot(page, 'promotion-editor-category-tree');
    await page.getByTestId('promotion-save').click();
    await page.getByRole('button', { name: 'Сыры кроме твёрдых −15 %' }).waitFor();
    type Targeted = { name: string; targeting: { categoryIds: string[]; excludeCategoryIds: string[] } };
    const list = await ownerApi<{ items: Targeted[] }>(
      'GET',
      `/api/v1/promotions?search=${encodeURIComponent('Сыры кроме')}`,
    );
    expect(list.items[0]?.targeting).toMatchObject({
      categoryIds: [cheeses.id],
      excludeCategoryIds: [hard.id],
    });
    // Opened again, the stored ids show as their paths.
    await page.getByRole('button', { name: 'Сыры кроме твёрдых −15 %' }).click();
    await tab(page, 'Кому, где и когда');
    const chosen = page.locator('.ant-select', {
      has: page.locator('#promotion_targeting_excludeCategoryIds'),
    });
    await expect.poll(() => chosen.innerText()).toContain(path);
    await page.context().close();
  });

  it('a marketer aims a promotion at a segment chosen from the buyer tags, shown with their buyer counts', async () => {
    for (const phone of ['+7 902 100-00-01', '+7 902 100-00-02'])
      await ownerApi('POST', '/api/v1/buyers', { phone, tags: ['Постоянные'] });
    const page = await cabinet.signIn(await cabinet.user('marketer'));
    await page.getByTestId('main-menu').getByText('Акции').click();
    await page.getByRole('heading', { name: 'Акции' }).waitFor();
    await page.getByTestId('create-promotion').click();
    await page.locator('#promotion_name').fill('Постоянным −5 %');
    await tab(page, 'Что даёт');
    await page.locator('#promotion_effect_percent').fill('5');
    await tab(page, 'Кому, где и когда');
    await choose(page, 'promotion_targeting_segmentIds', 'Постоянные — покупателей: 2', undefined, true);
    await page.getByTestId('promotion-save').click();
    await page.getByRole('button', { name: 'Постоянным −5 %' }).waitFor();
    type Aimed = { targeting: { segmentIds: string[] } };
    const list = await ownerApi<{ items: Aimed[] }>(
      'GET',
      `/api/v1/promotions?search=${encodeURIComponent('Постоянным')}`,
    );
    expect(list.items[0]?.targeting.segmentIds).toEqual(['Постоянные']);
    await page.context().close();
  });
});

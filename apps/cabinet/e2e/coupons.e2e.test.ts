// Coupons (C6) in Chromium against the real server: a marketer issues a series of unique codes
// and one with a shared code, sees the codes with their uses, and exports them; the API holds
// exactly what the screen showed.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './api-session.ts';
import { startCabinet, type Cabinet } from './cabinet-harness.ts';

let cabinet: Cabinet;
let ownerApi: ApiSession;

beforeAll(async () => {
  cabinet = await startCabinet();
  ownerApi = await apiSession(cabinet.app, await cabinet.user('owner'));
  await ownerApi('POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: {
      accrual: { kind: 'percent', percent: 200 },
      expiry: { kind: 'days', days: 365 },
      activation: { kind: 'immediate' },
      payment: { kind: 'up_to', percent: 10_000, minPoints: 0 },
    },
  });
  for (const name of ['Купон на 10 %', 'Общий купон'])
    await ownerApi('POST', '/api/v1/promotions', {
      name,
      priority: 5,
      effect: { kind: 'discount_percent', percent: 1000 },
    });
}, 120_000);

afterAll(async () => {
  await cabinet?.close();
});

async function choose(page: Page, id: string, option: string) {
  await page.locator(`#${id}`).click();
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
      hasText: option,
    })
    .click();
}

type Series = { id: string; name: string; codesCount: number; usedCount: number; usage: string };

describe('coupons (C6)', () => {
  it('a marketer issues unique and shared codes, lists and exports them', async () => {
    const page = await cabinet.signIn(await cabinet.user('marketer'));
    await page.getByTestId('main-menu').getByText('Купоны').click();
    await page.getByRole('heading', { name: 'Купоны' }).waitFor();

    // Five unique single-use codes with a prefix.
    await page.getByTestId('create-series').click();
    await page.locator('#series_name').fill('Листовки май');
    await choose(page, 'series_promotionId', 'Купон на 10 %');
    await page.locator('#series_count').fill('5');
    await page.locator('#series_prefix').fill('MAY');
    await cabinet.screenshot(page, 'coupon-series-editor');
    await page.locator('#series-save').click();
    const table = page.getByTestId('series-table');
    await table.getByText('Листовки май').waitFor();

    // One shared code, multi-use.
    await page.getByTestId('create-series').click();
    await page.locator('#series_name').fill('Радио');
    await choose(page, 'series_promotionId', 'Общий купон');
    await page.getByText('Один общий код').click();
    await page.locator('#series_code').fill('RADIO2026');
    await page.getByText('Многократный').click();
    await page.locator('#series-save').click();
    await table.getByText('Радио').waitFor();
    await cabinet.screenshot(page, 'coupons');

    const series = await ownerApi<Series[]>('GET', '/api/v1/coupon-series');
    const unique = series.find((s) => s.name === 'Листовки май');
    const shared = series.find((s) => s.name === 'Радио');
    expect(unique).toMatchObject({ codesCount: 5, usedCount: 0, usage: 'single' });
    expect(shared).toMatchObject({ codesCount: 1, usage: 'multi' });
    const codes = await ownerApi<{ items: { code: string }[] }>(
      'GET',
      `/api/v1/coupon-series/${unique?.id}/codes?pageSize=100`,
    );
    expect(codes.items).toHaveLength(5);
    for (const c of codes.items) expect(c.code).toMatch(/^MAY/);

    // The codes with their uses, and the export with the same codes.
    const row = table.locator('tr', { hasText: 'Листовки май' });
    await row.getByRole('button', { name: 'Коды', exact: true }).click();
    const codeRows = page.locator('[data-testid=codes-table] tbody tr.ant-table-row');
    await expect.poll(() => codeRows.count()).toBe(5);
    expect(await page.getByTestId('codes-table').innerText()).toContain(codes.items[0]?.code ?? '?');
    await cabinet.screenshot(page, 'coupon-codes');
    await page.locator('.ant-drawer-close').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: 'Выгрузить коды' }).click(),
    ]);
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[0]).toBe('Код;Использований;Заблокирован;Выдан покупателю');
    expect(csv.slice(1).map((line) => line.split(';')[0])).toEqual(codes.items.map((c) => c.code));
    await page.context().close();
  });
});

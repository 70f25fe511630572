// Coupons (C6) in Chromium against the real server: a marketer issues a series of unique codes
// and one with a shared code, sees the codes with their uses, exports them to XLSX, blocks a code,
// and reads the shared code's redemptions per receipt with the buyer; the API holds exactly what
// the screen showed.
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './api-session.ts';
import { startCabinet, type Cabinet } from './cabinet-harness.ts';
import { standardCardType } from './programme-setup.ts';

let cabinet: Cabinet;
let ownerApi: ApiSession;
let storeId: string;

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

type Series = {
  id: string;
  name: string;
  codesCount: number;
  usedCount: number;
  blockedCount: number;
  redemptionsCount: number;
  usage: string;
};

describe('coupons (C6)', () => {
  it('a marketer issues unique and shared codes, exports them, blocks a code and reads the usage per receipt', async () => {
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

    const series = (await ownerApi<{ items: Series[] }>('GET', '/api/v1/coupon-series')).items;
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
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const sheet = workbook.worksheets[0];
    const cells = (n: number) => ((sheet?.getRow(n).values as unknown[] | undefined) ?? []).slice(1);
    expect(cells(1)).toEqual([
      'Код',
      'Использований',
      'Заблокирован',
      'Последнее использование',
      'Выдан покупателю',
    ]);
    expect(Array.from({ length: 5 }, (_, i) => cells(i + 2)[0])).toEqual(codes.items.map((c) => c.code));
    expect(sheet?.rowCount).toBe(6);

    // Blocking the first code: the API holds it, and the "blocked" filter shows only it.
    await row.getByRole('button', { name: 'Коды', exact: true }).click();
    const firstCode = codes.items[0]?.code ?? '?';
    await page
      .locator('[data-testid=codes-table] tr', { hasText: firstCode })
      .getByRole('button', { name: 'Заблокировать' })
      .click();
    await page
      .locator('[data-testid=codes-table] tr', { hasText: firstCode })
      .getByRole('button', { name: 'Разблокировать' })
      .waitFor();
    const after = await ownerApi<{ items: { code: string; blocked: boolean }[] }>(
      'GET',
      `/api/v1/coupon-series/${unique?.id}/codes?state=blocked`,
    );
    expect(after.items).toEqual([expect.objectContaining({ code: firstCode, blocked: true })]);
    await page.getByTestId('codes-state').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
        hasText: 'Заблокирован',
      })
      .click();
    await expect.poll(() => codeRows.count()).toBe(1);
    await page.locator('.ant-drawer-close').click();

    // The shared code used on a receipt by a known buyer: the usage tab names the receipt and buyer.
    const buyer = await ownerApi<{ id: string }>('POST', '/api/v1/buyers', {
      phone: '+79005550101',
      lastName: 'Купонова',
      firstName: 'Анна',
    });
    const sale = await ownerApi<{ receiptId: string }>('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: crypto.randomUUID(),
      storeId,
      buyer: { buyerId: buyer.id },
      lines: [{ productId: 'p1', price: 50_000, quantity: 1000 }],
      coupons: ['radio2026'],
    });
    await page.reload();
    const radio = table.locator('tr', { hasText: 'Радио' });
    await radio.getByRole('button', { name: 'Коды', exact: true }).click();
    await page.getByRole('tab', { name: 'Использования' }).click();
    const usage = page.getByTestId('redemptions-table');
    await usage.getByText('Купонова Анна').waitFor();
    const usageText = (await usage.innerText()).replace(/\s+/g, ' ');
    expect(usageText).toContain('RADIO2026');
    expect(usageText).toContain('Магазин у дома');
    expect(usageText).toContain('500,00 ₽');
    await cabinet.screenshot(page, 'coupon-usage');
    const [usageFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-redemptions').click(),
    ]);
    const usageBook = new ExcelJS.Workbook();
    await usageBook.xlsx.readFile(await usageFile.path());
    const usageRow = ((usageBook.worksheets[0]?.getRow(2).values as unknown[] | undefined) ?? []).slice(1);
    expect(usageRow.slice(1, 2)).toEqual(['RADIO2026']);
    expect(usageRow.slice(3)).toEqual(['Магазин у дома', 500, 50, 'Купонова Анна', '+79005550101']);
    await page.locator('.ant-drawer-close').click();
    const [seriesFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-series').click(),
    ]);
    const seriesBook = new ExcelJS.Workbook();
    await seriesBook.xlsx.readFile(await seriesFile.path());
    const seriesRow = (n: number) =>
      ((seriesBook.worksheets[0]?.getRow(n).values as unknown[] | undefined) ?? []).slice(1);
    // Newest first, as the table: the shared series, then the unique codes with one blocked.
    expect(seriesRow(2).slice(0, 3)).toEqual(['Радио', 'Общий купон', 'многократный']);
    expect(seriesRow(2).slice(-4)).toEqual([1, 1, 1, 0]);
    expect(seriesRow(3).slice(0, 2)).toEqual(['Листовки май', 'Купон на 10 %']);
    expect(seriesRow(3).slice(-4)).toEqual([5, 0, 0, 1]);
    const radioSeries = (await ownerApi<{ items: Series[] }>('GET', '/api/v1/coupon-series?search=Радио'))
      .items[0];
    expect(radioSeries).toMatchObject({ usedCount: 1, redemptionsCount: 1 });
    const redemptions = await ownerApi<{ items: { receiptId: string; buyerId: string }[] }>(
      'GET',
      `/api/v1/coupon-series/${radioSeries?.id}/redemptions`,
    );
    expect(redemptions.items).toEqual([
      expect.objectContaining({ receiptId: sale.receiptId, buyerId: buyer.id }),
    ]);
    await page.context().close();
  });
});

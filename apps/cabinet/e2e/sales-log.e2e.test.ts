// The sales log with returns in Chromium against the real server (issue 6, G5): two sales and a
// partial return made through the REST purchase flow appear in the log with the right sums (the
// return negative, its lines on demand), the summary counts the return, the type filter narrows
// the log, and the XLSX export parsed back with exceljs equals the table row by row. Each operation
// names its cashier (issue 6): the cashier select, narrowed to the chosen store, filters the log
// and the summary.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, openDropdown } from './antd-select.ts';
import { apiSession, type ApiSession } from './api-session.ts';
import { startCabinet, type Cabinet } from './cabinet-harness.ts';
import { standardCardType } from './programme-setup.ts';

let cabinet: Cabinet;
let ownerApi: ApiSession;
let managerEmail: string;
let returned: { amount: number; refundMoney: number; pointsRestored: number; accrualReversed: number };
let sales: { amount: number; discount: number }[];
let buyerId: string;

beforeAll(async () => {
  cabinet = await startCabinet();
  ownerApi = await apiSession(cabinet.app, await cabinet.user('owner'));
  managerEmail = await cabinet.user('manager');
  await standardCardType(ownerApi, { accrualPercent: 500 });
  const store = await ownerApi<{ id: string }>('POST', '/api/v1/stores', {
    name: 'Ромашка на Мира',
    address: 'ул. Мира, 1',
  });
  const otherStore = await ownerApi<{ id: string }>('POST', '/api/v1/stores', {
    name: 'Ромашка на Ленина',
    address: 'ул. Ленина, 5',
  });
  const cashier = async (name: string, storeId: string) =>
    (await ownerApi<{ id: string }>('POST', '/api/v1/cashiers', { name, role: 'cashier', storeId })).id;
  const elena = await cashier('Елена Петрова', store.id);
  const igor = await cashier('Игорь Соколов', store.id);
  await cashier('Павел Морозов', otherStore.id);
  const buyer = await ownerApi<{ id: string }>('POST', '/api/v1/buyers', { phone: '+79007770011' });
  buyerId = buyer.id;
  await ownerApi('POST', `/api/v1/buyers/${buyer.id}/points`, {
    operation: 'accrue',
    points: 20_000,
    reason: 'Стартовый баланс',
  });
  const confirm = (body: object) =>
    ownerApi<{ receiptId: string }>('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `e2e-${randomUUID()}`,
      storeId: store.id,
      ...body,
    });
  const first = await confirm({
    number: 'S-1',
    cashierId: elena,
    buyer: { buyerId: buyer.id },
    lines: [
      { productId: 'coffee', price: 45_000, quantity: 2000 },
      { productId: 'milk', price: 9_900, quantity: 1000 },
    ],
    pointsToPay: 15_000,
  });
  const second = await confirm({
    number: 'S-2',
    cashierId: igor,
    lines: [{ productId: 'tea', price: 30_000, quantity: 1000 }],
    pointsToPay: 0,
  });
  const back = await ownerApi<{ result: { totals: typeof returned } }>(
    'POST',
    `/api/v1/purchases/${first.receiptId}/return`,
    { idempotencyKey: `e2e-return-${randomUUID()}`, lines: [{ index: 0, quantity: 1000 }], cashierId: elena },
  );
  returned = back.result.totals;
  sales = await Promise.all(
    [first, second].map((r) =>
      ownerApi<{ amount: number; discount: number }>('GET', `/api/v1/receipts/${r.receiptId}`),
    ),
  );
}, 120_000);

afterAll(async () => {
  await cabinet?.close();
});

/** "−1 234,50 ₽" or "12,5" as a number of roubles or points. */
const amountOf = (text: string) =>
  Number(
    text
      .replace(/[\s\u00a0\u202f₽]/g, '')
      .replace('−', '-')
      .replace(',', '.'),
  );

/**
 * The log table's rows as [operation, number, store, cashier, total, discount, points paid, money,
 * accrual].
 */
async function tableRows(page: Page): Promise<Array<Array<string | number>>> {
  const rows = page.getByTestId('receipts-table').locator('tbody tr.ant-table-row');
  const out: Array<Array<string | number>> = [];
  for (const row of await rows.all()) {
    const cells = await row.locator('td').allInnerTexts();
    // Cell 0 is the expand button, 1 the time.
    const [type = '', number = '', store = '', cashier = '', ...figures] = cells
      .slice(2, 11)
      .map((c) => c.trim());
    out.push([type, number, store, cashier, ...figures.map(amountOf)]);
  }
  return out;
}

describe('sales log with returns (G5)', () => {
  it('shows the sales and the partial return with the right sums, and the summary counts it', async () => {
    expect(returned.amount).toBe(returned.refundMoney + returned.pointsRestored);
    const page = await cabinet.signIn(managerEmail);
    await page.getByTestId('main-menu').getByText('Продажи').click();
    const rows = page.getByTestId('receipts-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(3);
    const shown = await tableRows(page);
    expect(shown.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['Возврат', 'S-1', 'Елена Петрова'],
      ['Продажа', 'S-2', 'Игорь Соколов'],
      ['Продажа', 'S-1', 'Елена Петрова'],
    ]);
    // The return: minus the value of one coffee of two, with the money and points it gave back.
    expect(shown[0]?.slice(4)).toEqual([
      -returned.amount / 100,
      0,
      -returned.pointsRestored / 100,
      -returned.refundMoney / 100,
      -returned.accrualReversed / 100,
    ]);
    expect(shown[2]?.[4]).toBe(((sales[0]?.amount ?? 0) - (sales[0]?.discount ?? 0)) / 100);

    const figures = async () => (await page.getByTestId('sales-summary').innerText()).replace(/\s+/g, ' ');
    const revenue = (sales.reduce((sum, s) => sum + s.amount - s.discount, 0) - returned.amount) / 100;
    await expect.poll(figures).toContain('Возвраты 1 на');
    expect(amountOf(/Выручка ([^₽]+₽)/.exec(await figures())?.[1] ?? '')).toBe(revenue);

    // The return's lines on demand.
    await rows.first().locator('.ant-table-row-expand-icon').click();
    const lines = page.locator('.ant-table-expanded-row').first();
    await lines.getByText('coffee').waitFor();
    expect(await lines.innerText()).toContain('1');
    await cabinet.screenshot(page, 'sales-log-returns');
    await page.context().close();
  });

  it('narrows the log to returns and exports a file equal to the table', async () => {
    const page = await cabinet.signIn(managerEmail);
    await page.getByTestId('main-menu').getByText('Продажи').click();
    const rows = page.getByTestId('receipts-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(3);
    // Sorted by total on the server: the return first.
    await page
      .getByTestId('receipts-table')
      .getByRole('columnheader', { name: 'Сумма', exact: true })
      .click();
    await expect.poll(async () => (await tableRows(page))[0]?.[0]).toBe('Возврат');
    const table = await tableRows(page);

    const download = page.waitForEvent('download');
    await page.getByTestId('sales-export').click();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await (await download).path());
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('the export has no sheet');
    const exported: Array<Array<string | number>> = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as unknown[]).slice(2, 11);
      exported.push(values.map((v) => (typeof v === 'number' || typeof v === 'string' ? v : '')));
    });
    expect(exported).toEqual(table);

    await page.getByTestId('sales-type').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
        hasText: 'Возврат',
      })
      .click();
    await expect.poll(() => rows.count()).toBe(1);
    expect((await tableRows(page))[0]?.[0]).toBe('Возврат');
    await page.context().close();
  });

  it('filters the log and the summary by cashier, offering the chosen store’s cashiers', async () => {
    const page = await cabinet.signIn(managerEmail);
    await page.getByTestId('main-menu').getByText('Продажи').click();
    const rows = page.getByTestId('receipts-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(3);
    const figures = async () => (await page.getByTestId('sales-summary').innerText()).replace(/\s+/g, ' ');
    await expect.poll(figures).toContain('Чеков 2');

    // A store chosen: its cashiers are offered, another store's are not.
    await choose(page, 'sales-store', 'Ромашка на Мира');
    await page.locator('#sales-cashier').click();
    const offered = page.locator(openDropdown).filter({ visible: true });
    await expect.poll(() => offered.allInnerTexts()).toEqual(['Елена Петрова', 'Игорь Соколов']);
    await page.keyboard.press('Escape');

    await choose(page, 'sales-cashier', 'Игорь Соколов', 'Игорь');
    await page.keyboard.press('Escape');
    await expect
      .poll(async () => (await tableRows(page)).map((r) => [r[0], r[1], r[3]]))
      .toEqual([['Продажа', 'S-2', 'Игорь Соколов']]);
    await expect.poll(figures).toContain('Чеков 1');
    await expect.poll(figures).toContain('Возвраты 0 на');

    // Both cashiers: every operation again; the return is Елена's.
    await choose(page, 'sales-cashier', 'Елена Петрова', 'Елена');
    await page.keyboard.press('Escape');
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(figures).toContain('Чеков 2');
    await cabinet.screenshot(page, 'sales-log-cashiers');
    await page.context().close();
  });

  it('shows the buyer’s sale and return on the buyer card, with the cashier', async () => {
    const page = await cabinet.signIn(managerEmail);
    await page.goto(`${cabinet.baseUrl}/buyers/${buyerId}`);
    const rows = page.getByTestId('purchases-table').locator('tbody tr.ant-table-row');
    // A direct address loads the card's chunk and its queries: wait for the rows, then count them.
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    const texts = await rows.allInnerTexts();
    expect(texts[0]).toContain('Возврат');
    expect(amountOf(/([-−][\d\s\u00a0\u202f]+,\d\d\s₽)/.exec(texts[0] ?? '')?.[1] ?? '')).toBe(
      -returned.amount / 100,
    );
    expect(texts[1]).toContain('Продажа');
    // Each names its cashier: Елена made the sale and took the return.
    expect(texts[0]).toContain('Елена Петрова');
    expect(texts[1]).toContain('Елена Петрова');
    await page.context().close();
  });
});

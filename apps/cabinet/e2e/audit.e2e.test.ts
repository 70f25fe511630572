// The audit log in Chromium against the real server: an owner renames a store through the API,
// then finds the change in the log filtered by entity, with the old and new name side by side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './api-session.ts';
import { startCabinet, type Cabinet } from './cabinet-harness.ts';
import { downloadedRows } from './xlsx-download.ts';

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

type Store = { id: string; name: string };

describe('audit log', () => {
  it('an owner finds a store rename with the old and new name', async () => {
    const store = await ownerApi<Store>('POST', '/api/v1/stores', {
      name: 'Ромашка старая',
      address: '',
      attributes: {},
    });
    await ownerApi<Store>('PATCH', `/api/v1/stores/${store.id}`, { name: 'Ромашка новая' });

    const page = await cabinet.signIn(ownerEmail);
    await page.getByTestId('main-menu').getByText('Журнал изменений').click();
    const entity = page.getByTestId('audit-entity').locator('input');
    await entity.fill('store');
    await entity.press('Enter');
    const table = page.getByTestId('audit-table');
    const row = table.locator('tr', { hasText: 'store.update' });
    await row.waitFor();
    // Filtered by the server: only store entries remain.
    const entities = await table.locator('tbody tr.ant-table-row td:nth-child(5)').allInnerTexts();
    expect(entities.length).toBeGreaterThan(0);
    expect(entities.every((e) => e.trim() === 'store')).toBe(true);
    expect(await row.innerText()).toContain(store.id);
    await row.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('audit-before').first().waitFor();
    expect(await page.getByTestId('audit-before').first().innerText()).toContain('Ромашка старая');
    expect(await page.getByTestId('audit-after').first().innerText()).toContain('Ромашка новая');
    await cabinet.screenshot(page, 'audit');
    // The export has the filtered rows in the table's order, the rename's values as JSON (B5).
    const rows = await downloadedRows(page, 'export-audit');
    const [header = [], ...body] = rows;
    expect(body.map((r) => r[header.indexOf('Объект')])).toEqual(entities.map((e) => e.trim()));
    const rename = body.find((r) => r[header.indexOf('Действие')] === 'store.update') ?? [];
    expect(String(rename[header.indexOf('Было')])).toContain('Ромашка старая');
    expect(String(rename[header.indexOf('Стало')])).toContain('Ромашка новая');
    await page.context().close();
  });
});

// The import wizard (B5) in Chromium against the real server: a buyers file with bad rows shows
// the per-row report and imports nothing (checked through the API), then the corrected file is
// checked, imported with the progress bar and every row lands.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './api-session.ts';
import { startCabinet, type Cabinet } from './cabinet-harness.ts';

let cabinet: Cabinet;
let managerEmail: string;
let ownerApi: ApiSession;

beforeAll(async () => {
  cabinet = await startCabinet();
  ownerApi = await apiSession(cabinet.app, await cabinet.user('owner'));
  managerEmail = await cabinet.user('manager');
}, 120_000);

afterAll(async () => {
  await cabinet?.close();
});

const header = 'Телефон;Фамилия;Имя;Пол';
const good = [
  '+7 901 000-00-01;Импортова;Анна;ж',
  '89010000002;Импортов;Олег;м',
  '+79010000003;Импортова;Вера;ж',
];

/** Chooses a CSV file (UTF-8) in the wizard's upload box. */
async function chooseCsv(page: Page, name: string, lines: string[]) {
  await page.locator('input[type=file]').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from([header, ...lines].join('\r\n'), 'utf8'),
  });
}

const importedBuyers = async () =>
  (await ownerApi<{ total: number }>('GET', `/api/v1/buyers?lastName=${encodeURIComponent('Импортов')}`))
    .total;

describe('import wizard (B5)', () => {
  it('a file with bad rows shows the report and imports nothing; the fixed file imports in full', async () => {
    const page = await cabinet.signIn(managerEmail);
    await page.getByTestId('main-menu').getByText('Импорт').click();
    await page.getByRole('heading', { name: 'Импорт' }).waitFor();

    // Two good rows around two bad ones (a phone too short, an unknown gender): imported straight away.
    await chooseCsv(page, 'buyers-bad.csv', [
      good[0] ?? '',
      '12345;Импортов;Плохой;м',
      good[1] ?? '',
      '+79010000004;Импортова;Ошибка;x',
    ]);
    await page.getByTestId('import-run').click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await report.innerText()).toContain('Ничего не импортировано');
    const rows = page.locator('[data-testid=import-errors] tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    const cells = (await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
    expect(cells[0]).toMatch(/^3 Телефон /);
    expect(cells[1]).toMatch(/^5 Пол /);
    await cabinet.screenshot(page, 'import-report');
    // All or nothing: not even the good rows were written.
    expect(await importedBuyers()).toBe(0);

    // The corrected file: the check writes nothing, the import writes every row.
    await chooseCsv(page, 'buyers.csv', good);
    await page.getByTestId('import-report').waitFor({ state: 'detached' });
    await page.getByTestId('import-check').click();
    expect(await page.getByTestId('import-checked').innerText()).toContain('строк к импорту — 3');
    expect(await importedBuyers()).toBe(0);
    await page.getByTestId('import-run').click();
    const done = page.getByTestId('import-done');
    await done.waitFor();
    expect(await done.innerText()).toContain('Импортировано строк: 3');
    await cabinet.screenshot(page, 'import-done');
    expect(await importedBuyers()).toBe(3);
    await page.context().close();
  });
});

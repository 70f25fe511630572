// The import wizard's "map columns" step (B5) in Chromium against the real server: a buyers file
// whose headers the server does not know shows its columns with their first values; mapped by
// hand (one column skipped) it imports every row behind a progress bar; a file with bad rows,
// mapped the same way, imports nothing and the report names the rows and the file's own columns.
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

const header = 'Мобильник;Клиент (фамилия);Пол;Комментарий менеджера';
const ROWS = 2000;

async function chooseCsv(page: Page, name: string, lines: string[]) {
  await page.locator('input[type=file]').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from([header, ...lines].join('\r\n'), 'utf8'),
  });
}

/** Picks `field` for the file's column `index` in the mapping step: typed into its search, then Enter. */
async function mapColumn(page: Page, index: number, field: string) {
  const select = page.getByTestId(`import-map-${index}`);
  await select.click();
  await page.keyboard.type(field);
  await page.keyboard.press('Enter');
  await expect.poll(() => select.innerText()).toContain(field);
}

const buyersNamed = async (lastName: string) =>
  (await ownerApi<{ total: number }>('GET', `/api/v1/buyers?lastName=${encodeURIComponent(lastName)}`)).total;

describe('import wizard: columns mapped by hand (B5)', () => {
  it('imports a file with unusual headers mapped by hand, and a file with bad rows imports nothing', async () => {
    const page = await cabinet.signIn(managerEmail);
    await page.getByTestId('main-menu').getByText('Импорт').click();
    await page.getByRole('heading', { name: 'Импорт' }).waitFor();

    const good = Array.from(
      { length: ROWS },
      (_, i) =>
        `+7 902 ${String(1_000_000 + i).slice(1, 4)}-${String(i).padStart(4, '0')};Сопоставленная;ж;звонить вечером`,
    );
    await chooseCsv(page, 'clients.csv', good);
    const mapper = page.getByTestId('import-mapping');
    await mapper.waitFor();
    const mapperText = (await mapper.innerText()).replace(/\s+/g, ' ');
    // The file's own headers with their first values; only "Пол" was recognised by its header.
    expect(mapperText).toContain('Мобильник');
    expect(mapperText).toContain('+7 902 000-0000');
    expect(mapperText).toContain('Строк с данными: 2 000');
    expect(await page.getByTestId('import-map-2').innerText()).toContain('Пол');
    expect(await page.getByTestId('import-map-0').innerText()).toContain('Не загружать');
    // By headers alone the server refuses this file: the mapping is what makes it importable.
    await mapColumn(page, 0, 'Телефон');
    await mapColumn(page, 1, 'Фамилия');
    expect(await page.getByTestId('import-map-3').innerText()).toContain('Не загружать');
    await cabinet.screenshot(page, 'import-mapping');
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-progress').waitFor();
    const done = page.getByTestId('import-done');
    await done.waitFor({ timeout: 45_000 });
    expect((await done.innerText()).replace(/\s+/g, ' ')).toContain('Импортировано строк: 2 000');
    expect(await buyersNamed('Сопоставленная')).toBe(ROWS);

    // The same unusual headers with two bad rows among good ones: mapped again, nothing lands.
    await page.getByRole('button', { name: 'Импортировать другой файл' }).click();
    await mapper.waitFor({ state: 'detached' });
    await chooseCsv(page, 'clients-bad.csv', [
      '+7 903 100-00-01;Отклонённая;ж;',
      '12345;Отклонённая;м;',
      '+7 903 100-00-03;Отклонённая;x;',
    ]);
    await mapper.waitFor();
    await mapColumn(page, 0, 'Телефон');
    await mapColumn(page, 1, 'Фамилия');
    await page.getByTestId('import-run').click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await report.innerText()).toContain('Ничего не импортировано');
    const rows = page.locator('[data-testid=import-errors] tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    const cells = (await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
    expect(cells[0]).toMatch(/^3 Мобильник /);
    expect(cells[1]).toMatch(/^4 Пол /);
    await cabinet.screenshot(page, 'import-mapping-report');
    expect(await buyersNamed('Отклонённая')).toBe(0);
    await page.context().close();
  });
});

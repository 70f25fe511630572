// The programme page (C2-C4) in Chromium against the real server: an owner sets a "1 point per
// 10 RUB" accrual with expiry on 31 December, a progressive accrual on a category, adds evening
// happy hours and archives a card type; the API holds exactly the kopecks, hundredths, basis
// points and dates typed as roubles, points and percents.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './api-session.ts';
import { choose, openDropdown, openTree } from './antd-select.ts';
import { startCabinet, type Cabinet } from './cabinet-harness.ts';
import { standardCardType, standardRule } from './programme-setup.ts';

let cabinet: Cabinet;
let ownerApi: ApiSession;
let standardId: string;
let dairyId: string;

beforeAll(async () => {
  cabinet = await startCabinet();
  ownerApi = await apiSession(cabinet.app, await cabinet.user('owner'));
  standardId = (await standardCardType(ownerApi)).id;
  await ownerApi('POST', '/api/v1/card-types', {
    name: 'Золотая',
    rank: 2,
    threshold: 10_000_000,
    issue: 'threshold',
    defaultRule: standardRule,
  });
  dairyId = (await ownerApi<{ id: string }>('POST', '/api/v1/categories', { name: 'Молочка' })).id;
}, 120_000);

afterAll(async () => {
  await cabinet?.close();
});

type Programme = {
  cardTypes: { id: string; name: string }[];
  rules: {
    cardTypeId: string;
    categoryId: string | null;
    accrual: unknown;
    expiry: unknown;
    accrualBase: string;
    rounding: string;
  }[];
  happyHours: {
    name: string;
    days: number[];
    windows: { from: string; to: string }[];
    cardTypeIds: string[];
    accrual: unknown;
    discountPercent: number | null;
  }[];
};

describe('programme (C2-C4)', () => {
  it('an owner edits per-amount, progressive and fixed-date cells, adds happy hours and archives a card type', async () => {
    const page = await cabinet.signIn(await cabinet.user('owner'));
    await page.getByTestId('main-menu').getByText('Программа').click();
    const matrix = page.getByTestId('rules-matrix');
    const matrixText = async () => (await matrix.innerText()).replace(/\s+/g, ' ');
    await expect.poll(matrixText).toContain('Молочка');

    // The standard card's default: 1 point for every 10 RUB, points expire on 31 December.
    await matrix
      .locator('tr', { hasText: 'Все категории' })
      .getByRole('button', { name: 'Изменить' })
      .first()
      .click();
    await choose(page, 'rule_accrual_kind', 'Y баллов за каждые X');
    await page.locator('#rule_accrual_points').fill('1');
    await page.locator('#rule_accrual_everyRoubles').fill('10');
    await choose(page, 'rule_expiryKind', 'В даты (ММ-ДД)');
    await page.locator('#rule_expiryDates').fill('12-31');
    await page.keyboard.press('Enter');
    await cabinet.screenshot(page, 'programme-cell-per-amount');
    await page.locator('#rule-save').click();
    await expect.poll(matrixText).toContain('Сгорают 12-31');

    // Dairy for the standard card: 1 % from the first rouble, 3 % from a 1,000 RUB receipt.
    await matrix
      .locator('tr', { hasText: 'Молочка' })
      .getByRole('button', { name: 'Изменить' })
      .first()
      .click();
    await choose(page, 'rule_accrual_kind', 'Прогрессивное');
    await page.getByTestId('add-accrual-tier').click();
    await page.getByTestId('add-accrual-tier').click();
    await page.locator('#rule_accrual_tiers_0_fromReceiptAmount').fill('0');
    await page.locator('#rule_accrual_tiers_0_percent').fill('1');
    await page.locator('#rule_accrual_tiers_1_fromReceiptAmount').fill('1000');
    await page.locator('#rule_accrual_tiers_1_percent').fill('3');
    await page.locator('#rule-save').click();
    await expect.poll(matrixText).toContain('Прогрессивное, ступеней: 2');

    const afterCells = await ownerApi<Programme>('GET', '/api/v1/programme');
    const cell = (categoryId: string | null) =>
      afterCells.rules.find((r) => r.cardTypeId === standardId && r.categoryId === categoryId);
    expect(cell(null)).toMatchObject({
      accrual: { kind: 'per_amount', everyKopecks: 1000, points: 100 },
      expiry: { kind: 'fixed_dates', dates: ['12-31'] },
    });
    expect(cell(dairyId)).toMatchObject({
      accrual: {
        kind: 'progressive',
        tiers: [
          { fromReceiptAmount: 0, percent: 100 },
          { fromReceiptAmount: 100_000, percent: 300 },
        ],
      },
    });

    // Happy hours: Monday and Tuesday evenings, 5 % accrual for the standard card. Without a day
    // the form refuses first.
    await page.getByTestId('new-happy-hour').click();
    const dialog = page.locator('.ant-modal', { hasText: 'Счастливые часы' });
    await page.locator('#happy-hour_name').fill('Вечер');
    await page.locator('#happy-hour_windows_0_from').fill('18:00');
    await page.locator('#happy-hour_windows_0_to').fill('21:00');
    await choose(page, 'happy-hour_cardTypeIds', 'Стандартная', undefined, true);
    await choose(page, 'happy-hour_accrual_kind', '% от покупки');
    await page.locator('#happy-hour_accrual_percent').fill('5');
    await page.locator('#happy-hour-save').click();
    await dialog.getByText('Выберите хотя бы один день').waitFor();
    await dialog.getByRole('checkbox', { name: 'Пн' }).check();
    await dialog.getByRole('checkbox', { name: 'Вт' }).check();
    await cabinet.screenshot(page, 'happy-hour-editor');
    await page.locator('#happy-hour-save').click();
    const happyHours = page.getByTestId('happy-hours');
    await happyHours.getByText('18:00–21:00').waitFor();
    expect((await happyHours.innerText()).replace(/\s+/g, ' ')).toContain('Пн, Вт');
    const withHours = await ownerApi<Programme>('GET', '/api/v1/programme');
    expect(withHours.happyHours).toEqual([
      expect.objectContaining({
        name: 'Вечер',
        days: [1, 2],
        windows: [{ from: '18:00', to: '21:00' }],
        cardTypeIds: [standardId],
        accrual: { kind: 'percent', percent: 500 },
        discountPercent: null,
      }),
    ]);

    // Then a 10 % discount in the same hours.
    await happyHours.getByRole('button', { name: 'Изменить' }).click();
    await page.locator('#happy-hour_discountPercent').fill('10');
    await page.locator('#happy-hour-save').click();
    await expect
      .poll(
        async () => (await ownerApi<Programme>('GET', '/api/v1/programme')).happyHours[0]?.discountPercent,
      )
      .toBe(1000);
    await cabinet.screenshot(page, 'programme-happy-hours');

    // The gold card type goes to the archive and its column leaves the matrix.
    await matrix.getByRole('columnheader', { name: 'Золотая' }).first().waitFor();
    await page.getByTestId('archive-card-type-Золотая').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /OK|Да/ }).click();
    await matrix.getByRole('columnheader', { name: 'Золотая' }).first().waitFor({ state: 'detached' });
    const archived = await ownerApi<Programme>('GET', '/api/v1/programme');
    expect(archived.cardTypes.map((c) => c.name)).toEqual(['Стандартная']);
    // The default card type cannot be archived: it has no such button.
    expect(await page.getByTestId('archive-card-type-Стандартная').count()).toBe(0);
    await page.context().close();
  });

  it('an owner gives a subcategory, picked in the whole tree, a rule of its own (C3)', async () => {
    const cheese = await ownerApi<{ id: string }>('POST', '/api/v1/categories', {
      name: 'Сыр',
      parentId: dairyId,
    });
    const page = await cabinet.signIn(await cabinet.user('owner'));
    await page.getByTestId('main-menu').getByText('Программа').click();
    const matrix = page.getByTestId('rules-matrix');
    await matrix.locator('tr', { hasText: 'Молочка' }).first().waitFor();
    // Subcategories without a rule have no row until one is picked in the tree.
    expect(await matrix.locator('tr', { hasText: 'Молочка / Сыр' }).count()).toBe(0);
    await page.locator('#rules-matrix-add-category').click();
    await page.locator('#rules-matrix-add-category').fill('Сыр');
    await page.locator(openTree, { hasText: /^Сыр$/ }).filter({ visible: true }).first().click();
    const row = matrix.locator('tr', { hasText: 'Молочка / Сыр' });
    await row.getByRole('button', { name: 'Изменить' }).first().click();
    await choose(page, 'rule_accrual_kind', '% от покупки');
    await page.locator('#rule_accrual_percent').fill('7');
    await page.locator('#rule-save').click();
    await expect.poll(async () => (await row.innerText()).replace(/\s+/g, ' ')).toContain('7');
    await cabinet.screenshot(page, 'programme-subcategory-row');
    const stored = await ownerApi<Programme>('GET', '/api/v1/programme');
    expect(stored.rules.find((r) => r.cardTypeId === standardId && r.categoryId === cheese.id)).toMatchObject(
      {
        accrual: { kind: 'percent', percent: 700 },
      },
    );
    // Reloaded, the row stays: the subcategory now has a rule of its own.
    await page.reload();
    await matrix.locator('tr', { hasText: 'Молочка / Сыр' }).first().waitFor();
    // The matrix exports with categories as rows and each kind of value per card type (B5).
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-rules').click(),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await file.path());
    const rows: unknown[][] = [];
    book.worksheets[0]?.eachRow((r) => {
      rows.push(Array.isArray(r.values) ? r.values.slice(1) : []);
    });
    const [header = [], ...body] = rows;
    const cheeseRow = body.find((r) => r[0] === 'Молочка / Сыр') ?? [];
    expect(cheeseRow[header.indexOf('Стандартная: начисление')]).toBe('7 %');
    expect(cheeseRow[header.indexOf('Стандартная: правило')]).toBe('своё');
    await page.context().close();
  });

  it('an owner sets a cell’s accrual base and rounding; a date the calendar lacks is refused on its field (C3)', async () => {
    const page = await cabinet.signIn(await cabinet.user('owner'));
    await page.getByTestId('main-menu').getByText('Программа').click();
    const matrix = page.getByTestId('rules-matrix');
    const matrixText = async () => (await matrix.innerText()).replace(/\s+/g, ' ');
    await matrix
      .locator('tr', { hasText: 'Все категории' })
      .getByRole('button', { name: 'Изменить' })
      .first()
      .click();
    const dialog = page.locator('.ant-modal', { hasText: 'Правило ячейки' });
    // The stored defaults are shown as they are.
    await expect
      .poll(() => dialog.locator('.ant-select', { has: page.locator('#rule_rounding') }).innerText())
      .toBe('Вниз до целого балла');
    await dialog.getByText('Когда часть чека оплачена баллами').waitFor();
    await choose(page, 'rule_accrualBase', 'Сумму после скидок, с оплатой баллами');
    await choose(page, 'rule_rounding', 'Без округления (до сотых)');
    // 30 February passes the form but not the server: its message comes back under the dates.
    await choose(page, 'rule_expiryKind', 'В даты (ММ-ДД)');
    await page.locator('#rule_expiryDates').fill('02-30');
    await page.keyboard.press('Enter');
    await page.locator('#rule-save').click();
    const datesItem = dialog.locator('.ant-form-item', { has: page.locator('#rule_expiryDates') });
    await datesItem
      .locator('.ant-form-item-explain-error', { hasText: 'Такой даты нет в календаре' })
      .waitFor();
    await dialog.getByText('Правило не сохранено: исправьте поля, отмеченные красным').waitFor();
    await cabinet.screenshot(page, 'programme-cell-field-error');
    const refused = await ownerApi<Programme>('GET', '/api/v1/programme');
    expect(refused.rules.find((r) => r.cardTypeId === standardId && r.categoryId === null)).toMatchObject({
      accrualBase: 'paid',
      rounding: 'down_whole',
    });

    await choose(page, 'rule_expiryKind', 'Никогда');
    await cabinet.screenshot(page, 'programme-cell-rounding');
    await page.locator('#rule-save').click();
    await expect.poll(matrixText).toContain('на сумму с баллами · без округления');
    const stored = await ownerApi<Programme>('GET', '/api/v1/programme');
    expect(stored.rules.find((r) => r.cardTypeId === standardId && r.categoryId === null)).toMatchObject({
      accrual: { kind: 'per_amount', everyKopecks: 1000, points: 100 },
      accrualBase: 'full',
      rounding: 'hundredth',
      expiry: { kind: 'never' },
    });
    // Reopened, the editor shows what was stored.
    await matrix
      .locator('tr', { hasText: 'Все категории' })
      .getByRole('button', { name: 'Изменить' })
      .first()
      .click();
    await expect
      .poll(() => dialog.locator('.ant-select', { has: page.locator('#rule_rounding') }).innerText())
      .toBe('Без округления (до сотых)');
    await page.context().close();
  });

  it('the happy hours preview prices a receipt at 18:00 with the happy hour and at 12:00 without (C4)', async () => {
    await ownerApi('POST', '/api/v1/stores', { name: 'Ромашка на Мира', address: 'ул. Мира, 1' });
    await ownerApi('POST', '/api/v1/products', { sku: 'BREAD-1', name: 'Хлеб', price: 9_900 });
    await ownerApi('PUT', '/api/v1/programme/happy-hours', {
      happyHours: [
        {
          name: 'Вечер',
          days: [1],
          windows: [{ from: '18:00', to: '21:00' }],
          accrual: { kind: 'percent', percent: 2000 },
        },
      ],
    });
    const page = await cabinet.signIn(await cabinet.user('owner'));
    await page.getByTestId('main-menu').getByText('Программа').click();
    await page.getByTestId('happy-hour-preview').click();
    const drawer = page.locator('.ant-drawer', { hasText: 'Счастливые часы на примере чека' });
    await page.locator('#happy-hour-preview-product').click();
    await page.keyboard.type('Хлеб');
    await page.locator(openDropdown, { hasText: 'Хлеб' }).first().click();
    await drawer.locator('tbody tr', { hasText: 'Хлеб' }).first().waitFor();
    await choose(page, 'happy-hour-preview_storeId', 'Ромашка на Мира');
    // Monday 1 June 2026 in the company's zone.
    await page.locator('#happy-hour-preview_date').click();
    await page.locator('#happy-hour-preview_date').fill('2026-06-01');
    await page.keyboard.press('Enter');
    await drawer.getByText('понедельник').waitFor();
    const result = page.getByTestId('happy-hour-preview-result');
    const resultText = async () => (await result.innerText()).replace(/\s+/g, ' ');

    const priceAt = async (time: string) => {
      await page.locator('#happy-hour-preview_time').fill(time);
      await page.getByTestId('happy-hour-preview-calculate').click();
    };
    await priceAt('18:00');
    await expect.poll(resultText).toContain('В это время действуют счастливые часы «Вечер»');
    // 20 % of 99 RUB is 19.8 points, kept in hundredths by the default cell's rounding.
    expect(await resultText()).toContain('19,8');
    await result.locator('tbody .ant-tag', { hasText: 'Вечер' }).waitFor();
    await cabinet.screenshot(page, 'happy-hour-preview-evening');

    await priceAt('12:00');
    await expect.poll(resultText).toContain('В это время счастливые часы не действуют');
    // The default cell: 1 point for every full 10 RUB.
    expect(await resultText()).toMatch(/Начислено 9(?!,)/);
    expect(await result.locator('tbody .ant-tag', { hasText: 'Вечер' }).count()).toBe(0);
    await result.getByText('по правилу').waitFor();

    // A time that is not HH:MM is refused by the form before the server is asked.
    await page.locator('#happy-hour-preview_time').fill('25:00');
    await page.getByTestId('happy-hour-preview-calculate').click();
    await drawer.getByText('Время в формате ЧЧ:ММ, например 18:00').waitFor();
    await cabinet.screenshot(page, 'happy-hour-preview-noon');
    await page.context().close();
  });
});

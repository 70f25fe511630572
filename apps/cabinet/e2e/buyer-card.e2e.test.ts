// The buyer card's writes in Chromium against the real server (issue 6, D1, D2, C9): a manager edits
// the profile and a questionnaire answer, sees the server's Russian messages under the field and for
// a taken phone, blocks, unblocks and replaces a card (the balance stays), then erases the buyer:
// the confirmation names what goes, the buyer leaves the table and the API, the card stays blocked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './api-session.ts';
import { startCabinet, type Cabinet } from './cabinet-harness.ts';
import { downloadedRecords } from './xlsx-download.ts';

let cabinet: Cabinet;
let ownerApi: ApiSession;
let managerEmail: string;
let buyerId: string;

type Buyer = {
  id: string;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  answers: Record<string, unknown>;
  cards: { number: string; status: string }[];
};
type Card = {
  id: string;
  number: string;
  status: string;
  blockReason: string | null;
  buyerId: string | null;
};

beforeAll(async () => {
  cabinet = await startCabinet();
  ownerApi = await apiSession(cabinet.app, await cabinet.user('owner'));
  managerEmail = await cabinet.user('manager');
  await ownerApi('POST', '/api/v1/card-series', {
    name: 'Пластик',
    prefix: '77',
    numberFrom: 1,
    numberTo: 9,
    kind: 'personal',
  });
  await ownerApi('POST', '/api/v1/questionnaire/fields', {
    key: 'size',
    label: 'Размер одежды',
    kind: 'list',
    options: ['S', 'M', 'L'],
  });
  const buyer = await ownerApi<{ id: string }>('POST', '/api/v1/buyers', {
    phone: '+79001112233',
    lastName: 'Иванова',
    firstName: 'Маша',
    cardNumber: '771',
  });
  buyerId = buyer.id;
  await ownerApi('POST', '/api/v1/buyers', { phone: '+79001112244', lastName: 'Петрова' });
  await ownerApi('POST', `/api/v1/buyers/${buyerId}/points`, {
    operation: 'accrue',
    points: 12_345,
    reason: 'Подарок к открытию',
  });
}, 120_000);

afterAll(async () => {
  await cabinet?.close();
});

const cardByNumber = async (number: string) =>
  (await ownerApi<{ items: Card[] }>('GET', `/api/v1/cards?number=${number}`)).items[0];

describe('buyer card: edit, cards, erasure', () => {
  it('exports the points history, the lots and the cards of the buyer (B5)', async () => {
    const page = await cabinet.signIn(managerEmail);
    await page.goto(`${cabinet.baseUrl}/buyers/${buyerId}`);
    await page.getByTestId('buyer-name').waitFor();
    const sheet = (testId: string) => downloadedRecords(page, testId);
    expect(await sheet('export-ledger')).toEqual([
      expect.objectContaining({ Баллы: 123.45, Причина: 'Подарок к открытию' }),
    ]);
    expect(await sheet('export-cards')).toEqual([expect.objectContaining({ 'Номер карты': '771' })]);
    expect(await sheet('export-lots')).toEqual([
      expect.objectContaining({ Источник: 'manual', Начислено: 123.45, Осталось: 123.45 }),
    ]);
    await page.context().close();
  });

  it('edits the profile and an answer, showing the server messages in Russian', async () => {
    const page = await cabinet.signIn(managerEmail);
    await page.goto(`${cabinet.baseUrl}/buyers/${buyerId}`);
    await page.getByTestId('buyer-name').waitFor();
    await page.getByTestId('edit-buyer').click();
    const firstName = page.locator('#buyer-edit_firstName');
    await firstName.fill('Мария');
    // A birth date in the future passes the browser and is refused by the server, under the field.
    const birthDate = page.locator('#buyer-edit_birthDate');
    await birthDate.click();
    await birthDate.fill('01.02.2090');
    await birthDate.press('Enter');
    await page.locator('#buyer-edit-save').click();
    await page.locator('.ant-form-item-explain-error', { hasText: 'Дата рождения в будущем' }).waitFor();
    // Someone else's phone: the conflict comes back as the server's sentence.
    await birthDate.click();
    await birthDate.fill('15.03.1990');
    await birthDate.press('Enter');
    await page.locator('#buyer-edit_phone').fill('+7 900 111-22-44');
    await page.locator('#buyer-edit-save').click();
    await page
      .locator('.ant-modal .ant-alert', { hasText: 'Покупатель с таким телефоном уже есть' })
      .waitFor();
    await page.locator('#buyer-edit_phone').fill('+7 900 111-22-33');
    await page.locator('#buyer-edit_answers_size').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
        hasText: 'M',
      })
      .click();
    await cabinet.screenshot(page, 'buyer-edit');
    await page.locator('#buyer-edit-save').click();
    await page.getByTestId('buyer-name').getByText('Иванова Мария').waitFor();
    await page.getByTestId('buyer-answers').getByText('Размер одежды').waitFor();
    const stored = await ownerApi<Buyer>('GET', `/api/v1/buyers/${buyerId}`);
    expect(stored).toMatchObject({
      phone: '+79001112233',
      firstName: 'Мария',
      lastName: 'Иванова',
      birthDate: '1990-03-15',
      answers: { size: 'M' },
    });
    await page.context().close();
  });

  it('blocks a card with a reason, unblocks it and replaces it keeping the balance', async () => {
    const page = await cabinet.signIn(managerEmail);
    await page.goto(`${cabinet.baseUrl}/buyers/${buyerId}`);
    const row = (number: string) => page.getByTestId('cards-table').locator('tr', { hasText: number });
    await row('771').getByText('Активна').waitFor();
    await row('771').getByRole('button', { name: 'Заблокировать' }).click();
    await page.getByTestId('prompt-input').fill('Утеряна');
    await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await row('771').getByText('Заблокирована').waitFor();
    expect(await cardByNumber('771')).toMatchObject({ status: 'blocked', blockReason: 'Утеряна' });

    await row('771').getByRole('button', { name: 'Разблокировать' }).click();
    await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await row('771').getByText('Активна').waitFor();
    expect(await cardByNumber('771')).toMatchObject({ status: 'active', blockReason: null, buyerId });

    await row('771').getByRole('button', { name: 'Заменить' }).click();
    await page.getByTestId('prompt-input').fill('775');
    await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await row('775').getByText('Активна').waitFor();
    expect(await page.getByTestId('cards-table').innerText()).not.toContain('771');
    const found = await ownerApi<{ buyer: { id: string; stats: { balance: number } } }>(
      'GET',
      '/api/v1/buyers/lookup?card=775',
    );
    expect(found.buyer).toMatchObject({ id: buyerId, stats: { balance: 12_345 } });
    expect(await cardByNumber('771')).toMatchObject({ status: 'replaced' });
    await cabinet.screenshot(page, 'buyer-cards');
    await page.context().close();
  });

  it('erases the buyer after a confirmation naming what goes; the buyer is gone from table and API', async () => {
    const page = await cabinet.signIn(managerEmail);
    await page.goto(`${cabinet.baseUrl}/buyers/${buyerId}`);
    await page.getByTestId('erase-buyer').click();
    const confirm = page.getByTestId('erase-confirm');
    await confirm.waitFor();
    const text = await confirm.innerText();
    expect(text).toContain('телефон');
    expect(text).toContain('ответы анкеты');
    expect(text).toContain('775');
    expect(text).toContain('чеки, история баллов');
    await cabinet.screenshot(page, 'buyer-erase-confirm');
    await page.locator('#erase-buyer-ok').click();
    await page.waitForURL(`${cabinet.baseUrl}/buyers`);
    const table = page.getByTestId('buyers-table');
    await table.getByText('Петрова').waitFor();
    expect(await table.innerText()).not.toContain('Иванова');

    await expect(ownerApi('GET', `/api/v1/buyers/${buyerId}`)).rejects.toThrow(/404/);
    const search = await ownerApi<{ total: number }>('GET', '/api/v1/buyers?search=79001112233');
    expect(search.total).toBe(0);
    expect(await cardByNumber('775')).toMatchObject({
      status: 'blocked',
      blockReason: 'Данные покупателя удалены',
    });
    const row = await cabinet.database.db
      .selectFrom('buyers')
      .select(['phone', 'first_name', 'last_name', 'answers', 'balance'])
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ phone: null, first_name: null, last_name: null, answers: {} });
    expect(Number(row.balance)).toBe(12_345);
    await page.context().close();
  });
});

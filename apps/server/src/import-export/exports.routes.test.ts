// B5 export: every list streamed as XLSX with Russian headers, the same rows and order as the
// JSON list for the same filters (across several pages), money in roubles, times in the
// merchant's zone; list permissions; refused filters still answer 400 in the API's shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyersExportQuerySchema } from '@loyalty/protocol/api/import-export.schema';
import { merchantClock } from '#buyers/buyers.repository.ts';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { buyersSheet } from './buyers-export.ts';
import { sheetRows, signInUploader, type Uploader } from './upload.test-helper.ts';

type Buyer = {
  id: string;
  phone: string | null;
  lastName: string | null;
  registeredAt: string;
  stats: { balance: number; purchasesTotal: number };
};

let t: TestApp;
let owner: Uploader;
let session: Session;
const BUYERS = 1_100;

/** The sheet of an export answer, failing on anything but a 200 XLSX. */
async function exported(url: string, as: Uploader = owner) {
  const res = await as.get(url);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  const [header = [], ...rows] = await sheetRows(res.rawPayload);
  const column = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column ${name} in ${header.join(', ')}`);
    return (row: unknown[]) => row[i] ?? null;
  };
  return { header, rows, column };
}

/** Every buyer of the JSON list for the query, across pages. */
async function listed(query: string): Promise<Buyer[]> {
  const all: Buyer[] = [];
  for (let page = 1; ; page++) {
    const res = await session.request('GET', `/api/v1/buyers?${query}&page=${page}&pageSize=500`);
    const items = res.json<{ items: Buyer[] }>().items;
    all.push(...items);
    if (items.length < 500) return all;
  }
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await signInUploader(t, 'owner');
  session = await t.signIn('owner', owner.merchantId);
  // More buyers than one export page, half of them with a surname starting with "А".
  const lines = Array.from(
    { length: BUYERS },
    (_, i) => `+7912${String(2_000_000 + i)};${i % 2 === 0 ? 'Андреев' : 'Борисов'}${i}`,
  );
  const imported = await owner.upload(
    '/api/v1/imports/buyers',
    'buyers.csv',
    Buffer.from(`Телефон;Фамилия\n${lines.join('\n')}\n`),
  );
  expect(imported.statusCode, imported.body).toBe(200);
  await t.db
    .updateTable('buyers')
    .set({ purchases_total: 123_456, purchases_count: 2 })
    .where('merchant_id', '=', owner.merchantId)
    .where('phone', '=', '+79122000000')
    .execute();
  const balances = await owner.upload(
    '/api/v1/imports/balances',
    'balances.csv',
    Buffer.from('Телефон;Баллы\n+79122000001;250,75\n'),
  );
  expect(balances.statusCode, balances.body).toBe(200);
});
afterAll(async () => {
  await t.close();
});

describe('buyers export', () => {
  it('has the same rows in the same order as the JSON list with the same filter and sort', async () => {
    const query = `lastName=${encodeURIComponent('андреев')}&sort=phone&order=desc`;
    const json = await listed(query);
    expect(json).toHaveLength(BUYERS / 2);
    const { rows, column } = await exported(`/api/v1/exports/buyers.xlsx?${query}`);
    const [id, phone, lastName] = [column('ID'), column('Телефон'), column('Фамилия')];
    expect(rows.map(id)).toEqual(json.map((b) => b.id));
    expect(rows.map(phone)).toEqual(json.map((b) => b.phone));
    expect(rows.map(lastName)).toEqual(json.map((b) => b.lastName));
  });

  it('reads page after page without skipping or repeating a buyer', async () => {
    const query = buyersExportQuerySchema.parse({ sort: 'lastName', order: 'asc' });
    const context = await merchantClock(t.db, owner.merchantId, new Date());
    const sheet = await buyersSheet(t.db, query, context, 300);
    const ids: string[] = [];
    let pages = 0;
    for (let page = await sheet.pages.next(); page.done !== true; page = await sheet.pages.next()) {
      ids.push(...page.value.map((b) => b.id));
      pages++;
    }
    expect(pages).toBe(4);
    expect(ids).toEqual((await listed('sort=lastName&order=asc')).map((b) => b.id));
  });

  it('writes money in roubles, points with hundredths and times in the merchant zone', async () => {
    const { rows, column } = await exported('/api/v1/exports/buyers.xlsx?phone=%2B79122000000');
    const [row] = rows;
    if (!row) throw new Error('no row');
    expect(column('Сумма покупок, ₽')(row)).toBe(1234.56);
    expect(column('Средний чек, ₽')(row)).toBe(617.28);
    expect(column('Канал регистрации')(row)).toBe('Импорт');
    const [buyer] = await listed('phone=%2B79122000000');
    // Moscow is UTC+3: the cell shows the wall clock there, as a date without zone.
    const registered = column('Дата регистрации')(row) as Date;
    expect(registered.getTime()).toBe(Date.parse(buyer?.registeredAt ?? '') + 3 * 3_600_000);
    const { rows: rich } = await exported('/api/v1/exports/buyers.xlsx?phone=%2B79122000001');
    expect(column('Баланс, баллов')(rich[0] ?? [])).toBe(250.75);
  });

  it('answers 400 in the API shape for a refused filter, before any file starts', async () => {
    const res = await owner.get('/api/v1/exports/buyers.xlsx?phone=abc');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'phone_invalid' });
  });
});

describe('other lists', () => {
  it('exports products with the list filters, in the import headers', async () => {
    const file = 'Артикул;Название;Цена;Штрихкоды\nA-1;Хлеб;45,5;2000000000015\nB-1;Молоко;89;\n';
    expect((await owner.upload('/api/v1/imports/products', 'p.csv', Buffer.from(file))).statusCode).toBe(200);
    const { header, rows } = await exported(
      `/api/v1/exports/products.xlsx?search=${encodeURIComponent('хлеб')}`,
    );
    expect(header.slice(0, 5)).toEqual(['Артикул', 'Название', 'Категория', 'Цена', 'Мин. цена']);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.slice(0, 6)).toEqual(['A-1', 'Хлеб', null, 45.5, 0, '2000000000015']);
  });

  it('exports cards with their holders', async () => {
    await session.request('POST', '/api/v1/card-series', {
      name: 'Серия',
      numberFrom: 500,
      numberTo: 504,
      kind: 'personal',
    });
    const attach = await owner.upload(
      '/api/v1/imports/cards',
      'c.csv',
      Buffer.from('Номер карты;Телефон покупателя\n501;+79122000002\n'),
    );
    expect(attach.statusCode, attach.body).toBe(200);
    const { rows, column } = await exported('/api/v1/exports/cards.xlsx?status=active');
    expect(
      rows.map((r) => [column('Номер карты')(r), column('Статус')(r), column('Телефон покупателя')(r)]),
    ).toEqual([['501', 'активна', '+79122000002']]);
    const all = await exported('/api/v1/exports/cards.xlsx');
    expect(all.rows).toHaveLength(5);
  });

  it('exports the ledger with Russian operation names and receipts (none yet) as a valid file', async () => {
    const { rows, column } = await exported('/api/v1/exports/ledger.xlsx?kind=opening_balance');
    expect(
      rows.map((r) => [column('Телефон покупателя')(r), column('Операция')(r), column('Баллы')(r)]),
    ).toEqual([['+79122000001', 'Начальный баланс', 250.75]]);
    const receipts = await exported('/api/v1/exports/receipts.xlsx?dateFrom=2026-01-01&dateTo=2026-12-31');
    expect(receipts.header).toContain('Сумма, ₽');
    expect(receipts.rows).toEqual([]);
  });

  it('follows the permissions of the lists it mirrors', async () => {
    const analyst = await signInUploader(t, 'analyst', owner.merchantId);
    expect((await analyst.get('/api/v1/exports/buyers.xlsx')).statusCode).toBe(200);
    const stranger = await signInUploader(t, 'owner');
    const { rows } = await exported('/api/v1/exports/buyers.xlsx', stranger);
    expect(rows).toEqual([]);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/exports/ledger.xlsx' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'unauthenticated' });
  });
});

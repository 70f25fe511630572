// B5 import: CSV in Windows-1251 with ';', UTF-8 with ',', XLSX; all rows or none with a
// downloadable report; dry runs; opening balances through the ledger; roles, merchant isolation,
// and every unreadable or oversized file answered in the API's error shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerSides } from '#ledger/ledger.service.ts';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { sheetRows, signInUploader, windows1251, xlsxOf, type Uploader } from './upload.test-helper.ts';

type Problem = { code: string; message: string; details: unknown };
type Rejection = {
  code: string;
  message: string;
  details: {
    errors: Array<{ row: number; column: string | null; code: string; message: string }>;
    errorCount: number;
    reportId: string;
  };
};
type Buyer = {
  id: string;
  phone: string | null;
  email: string | null;
  lastName: string | null;
  firstName: string | null;
  gender: string | null;
  birthDate: string | null;
  channel: string;
  tags: string[];
  consents: Record<string, boolean>;
  cards: Array<{ number: string; status: string }>;
  stats: { balance: number };
};
type Product = {
  sku: string;
  name: string;
  price: number;
  minPrice: number;
  barcodes: string[];
  categoryId: string | null;
  unit: string;
  noDiscount: boolean;
};

let t: TestApp;
let owner: Uploader;
let session: Session;
let categoryId = '';

const utf8 = (text: string) => Buffer.from(`\uFEFF${text}`, 'utf8');

async function lookup(phone: string): Promise<Buyer | null> {
  const res = await session.request('GET', `/api/v1/buyers/lookup?phone=${encodeURIComponent(phone)}`);
  return res.statusCode === 200 ? res.json<{ buyer: Buyer }>().buyer : null;
}
async function productsMatching(search: string): Promise<Product[]> {
  const res = await session.request('GET', `/api/v1/products?search=${encodeURIComponent(search)}&state=all`);
  return res.json<{ items: Product[] }>().items;
}
const auditOf = (action: string) =>
  t.db
    .selectFrom('audit_log')
    .select(['action', 'after'])
    .where('merchant_id', '=', owner.merchantId)
    .where('action', '=', action)
    .orderBy('id')
    .execute();

beforeAll(async () => {
  t = await createTestApp();
  owner = await signInUploader(t, 'owner');
  session = await t.signIn('owner', owner.merchantId);
  const series = await session.request('POST', '/api/v1/card-series', {
    name: 'Основная',
    numberFrom: 1_000_000_001,
    numberTo: 1_000_000_050,
    kind: 'personal',
  });
  expect(series.statusCode).toBe(201);
  const anonymous = await session.request('POST', '/api/v1/card-series', {
    name: 'Подарочные',
    prefix: '77',
    numberFrom: 1,
    numberTo: 99,
    kind: 'anonymous',
  });
  expect(anonymous.statusCode).toBe(201);
  const category = await session.request('POST', '/api/v1/categories', { name: 'Напитки' });
  categoryId = category.json<{ id: string }>().id;
});
afterAll(async () => {
  await t.close();
});

describe('importing buyers', () => {
  it('reads a Windows-1251 CSV with ";" and registers every row with consents and cards', async () => {
    const csv = windows1251(
      'Телефон;Фамилия;Имя;Пол;Дата рождения;Эл. почта;Номер карты;Теги;Согласие на SMS;Версия текста согласия\r\n' +
        '8 912 111-11-01;Иванов;Иван;м;01.02.1990;IVAN@Example.com;1000000001;vip, опт;да;v1\r\n' +
        '+7 (912) 111-11-02;Ёлкина;Анна;ж;1991-03-04;;;;нет;\r\n',
    );
    const res = await owner.upload('/api/v1/imports/buyers', 'buyers.csv', csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 2, rows: 2, dryRun: false });

    const ivan = await lookup('+79121111101');
    expect(ivan).toMatchObject({
      lastName: 'Иванов',
      firstName: 'Иван',
      gender: 'male',
      birthDate: '1990-02-01',
      email: 'ivan@example.com',
      channel: 'import',
      tags: ['vip', 'опт'],
      consents: { sms: true, advertising: false },
      cards: [{ number: '1000000001', status: 'active' }],
    });
    expect(await lookup('89121111102')).toMatchObject({ lastName: 'Ёлкина', consents: { sms: false } });
  });

  it('reads an XLSX sheet, dates as date cells and phones as numbers included', async () => {
    const file = await xlsxOf([
      ['Phone', 'Last name', 'First name', 'Birth date', 'Card number'],
      [79121111103, 'Сидоров', 'Пётр', new Date(Date.UTC(1985, 11, 31)), '1000000003'],
    ]);
    const res = await owner.upload('/api/v1/imports/buyers', 'buyers.xlsx', file);
    expect(res.statusCode, res.body).toBe(200);
    expect(await lookup('+79121111103')).toMatchObject({
      lastName: 'Сидоров',
      birthDate: '1985-12-31',
      cards: [{ number: '1000000003', status: 'active' }],
    });
  });

  it('writes one audit entry per import with counts and no row data', async () => {
    const entries = await auditOf('import.buyers');
    expect(entries).toHaveLength(2);
    expect(entries[0]?.after).toEqual({ kind: 'buyers', format: 'csv', rows: 2, imported: 2 });
    expect(JSON.stringify(entries)).not.toContain('912');
  });

  it('checks every row under the single-item rules and names each problem by row and column', async () => {
    const required = await session.request('PATCH', '/api/v1/questionnaire/standard-fields', {
      firstName: { enabled: true, required: true },
    });
    expect(required.statusCode).toBe(200);
    const csv = utf8(
      'Телефон,Имя,Пол,E-mail,Номер карты,Согласие на рекламу\n' +
        '+79121111104,Олег,м,,,\n' +
        '12345,Мария,x,not-an-email,,\n' +
        '+79121111101,Иван,,,,\n' +
        '+79121111104,Олег,,,1000000001,\n' +
        ',,,,,да\n',
    );
    const res = await owner.upload('/api/v1/imports/buyers', 'buyers.csv', csv);
    expect(res.statusCode).toBe(422);
    const body = res.json<Rejection>();
    expect(body.code).toBe('import_rejected');
    const problems = body.details.errors.map((e) => [e.row, e.column, e.code]);
    expect(problems).toEqual(
      expect.arrayContaining([
        [3, 'Телефон', 'phone_invalid'],
        [3, 'Пол', 'invalid_gender'],
        [3, 'E-mail', 'invalid_format'],
        [4, 'Телефон', 'phone_taken'],
        [5, 'Телефон', 'duplicate_in_file'],
        [5, 'Номер карты', 'card_taken'],
        [6, null, 'identifier_required'],
        [6, 'Имя', 'required'],
        [6, 'Согласие на рекламу', 'custom'],
      ]),
    );
    expect(body.details.errors.some((e) => e.row === 2)).toBe(false);
    expect(await lookup('+79121111104')).toBeNull();
    // A field the questionnaire requires must have its column: the whole file is refused at once.
    const noName = await owner.upload('/api/v1/imports/buyers', 'b.csv', utf8('Телефон\n+79121111104\n'));
    expect(noName.statusCode).toBe(400);
    expect(noName.json<Problem>()).toMatchObject({ code: 'import_columns', details: { missing: ['Имя'] } });
    await session.request('PATCH', '/api/v1/questionnaire/standard-fields', {
      firstName: { enabled: true, required: false },
    });
  });

  it('reads questionnaire answers from columns named by the field key or label', async () => {
    const field = await session.request('POST', '/api/v1/questionnaire/fields', {
      key: 'shoe_size',
      label: 'Размер обуви',
      kind: 'number',
    });
    expect(field.statusCode, field.body).toBe(201);
    const bad = await owner.upload(
      '/api/v1/imports/buyers',
      'buyers.csv',
      utf8('Телефон;Размер обуви\n+79121111105;сорок\n'),
    );
    expect(bad.json<Rejection>().details.errors).toEqual([
      { row: 2, column: 'Размер обуви', code: 'invalid_number', message: 'Ожидается число' },
    ]);
    const good = await owner.upload(
      '/api/v1/imports/buyers',
      'buyers.csv',
      utf8('Телефон;shoe_size\n+79121111105;42,5\n'),
    );
    expect(good.statusCode, good.body).toBe(200);
    expect(await lookup('+79121111105')).toMatchObject({ answers: { shoe_size: 42.5 } });
  });

  it('writes nothing in a dry run', async () => {
    const csv = utf8('Телефон,Фамилия\n+79121111106,Тестов\n+79121111107,Пробная\n');
    const res = await owner.upload('/api/v1/imports/buyers?dryRun=true', 'buyers.csv', csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 0, rows: 2, dryRun: true });
    expect(await lookup('+79121111106')).toBeNull();
    expect(await auditOf('import.buyers')).toHaveLength(3);
  });
});

describe('importing cards', () => {
  it('attaches, activates and blocks issued cards from a UTF-8 CSV with ","', async () => {
    const csv = utf8(
      'Номер карты,Телефон покупателя,Статус,Причина блокировки\n' +
        '1000000010,+7 912 111-11-02,,\n' +
        '1000000011,,заблокирована,Утеряна\n' +
        '7701,,активна,\n',
    );
    const res = await owner.upload('/api/v1/imports/cards', 'cards.csv', csv);
    expect(res.statusCode, res.body).toBe(200);
    const card = async (number: string) =>
      (await session.request('GET', `/api/v1/cards?number=${number}`)).json<{
        items: Array<{ status: string; buyerId: string | null; blockReason: string | null }>;
      }>().items[0];
    const anna = await lookup('+79121111102');
    expect(await card('1000000010')).toMatchObject({ status: 'active', buyerId: anna?.id });
    expect(await card('1000000011')).toMatchObject({ status: 'blocked', blockReason: 'Утеряна' });
    expect(await card('7701')).toMatchObject({ status: 'active', buyerId: null });
  });

  it('refuses numbers outside every series, personal cards without a buyer and taken cards', async () => {
    const csv = utf8(
      'Номер карты;Телефон;Статус;Причина блокировки\n' +
        '5550001;;;\n' +
        '1000000012;;активна;\n' +
        '1000000010;+79121111101;;\n' +
        '1000000013;+79121111103;активна;Потеряна\n' +
        '1000000014;+79990000000;;\n',
    );
    const res = await owner.upload('/api/v1/imports/cards', 'cards.csv', csv);
    expect(res.statusCode).toBe(422);
    expect(res.json<Rejection>().details.errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'card_not_in_series'],
      [3, 'personal_card_needs_buyer'],
      [4, 'card_taken'],
      [5, 'unexpected_block_reason'],
      [6, 'buyer_not_found'],
    ]);
  });
});

describe('importing products', () => {
  it('reads an XLSX built in Excel: roubles, barcodes, category by name, unit and flags', async () => {
    const file = await xlsxOf([
      ['Артикул', 'Наименование', 'Цена', 'Мин. цена', 'Штрихкоды', 'Категория', 'Ед. изм.', 'Без скидки'],
      ['SOK-1', 'Сок яблочный', 199.9, '150', '4600000000011, 4600000000028', 'напитки', 'шт', 'да'],
      ['SYR-1', 'Сыр весовой', '1 234,50', null, '4600000000035', null, 'кг', 'нет'],
    ]);
    const res = await owner.upload('/api/v1/imports/products', 'products.xlsx', file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 2, rows: 2, dryRun: false });
    expect(await productsMatching('SOK-1')).toMatchObject([
      {
        name: 'Сок яблочный',
        price: 19990,
        minPrice: 15000,
        barcodes: ['4600000000011', '4600000000028'],
        categoryId,
        unit: 'piece',
        noDiscount: true,
      },
    ]);
    expect(await productsMatching('SYR-1')).toMatchObject([{ price: 123450, unit: 'kg', categoryId: null }]);
  });

  it('imports nothing from a file with two bad rows, and the report lists exactly those rows', async () => {
    const csv = utf8(
      'Артикул;Название;Цена;Штрихкоды\n' +
        'NEW-1;Чай;99,90;4600000000042\n' +
        'NEW-2;Кофе;abc;\n' +
        'NEW-3;Какао;120;\n' +
        'NEW-1;Чай ещё раз;100;4600000000011\n' +
        'NEW-4;Сахар;55;\n',
    );
    const res = await owner.upload('/api/v1/imports/products', 'products.csv', csv);
    expect(res.statusCode).toBe(422);
    const body = res.json<Rejection>();
    expect(body.message).toContain('Ничего не записано');
    expect(new Set(body.details.errors.map((e) => e.row))).toEqual(new Set([3, 5]));
    expect(body.details.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'Цена', 'invalid_number'],
      [5, 'Артикул', 'duplicate_in_file'],
      [5, 'Штрихкоды', 'barcode_taken'],
    ]);
    expect(body.details.errorCount).toBe(3);
    expect(await productsMatching('NEW-')).toEqual([]);

    const report = await owner.get(`/api/v1/imports/reports/${body.details.reportId}`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toContain('spreadsheetml');
    expect(report.headers['content-disposition']).toMatch(/^attachment; filename="import-errors-.+\.xlsx"$/);
    const rows = await sheetRows(report.rawPayload);
    expect(rows[0]).toEqual(['Строка', 'Колонка', 'Значение', 'Ошибка']);
    expect(rows.slice(1)).toEqual([
      [3, 'Цена', 'abc', 'Ожидается число, например 199,90'],
      [5, 'Артикул', 'NEW-1', 'Этот артикул уже есть в строке 2'],
      [5, 'Штрихкоды', '4600000000011', 'Штрихкод уже есть у другого товара: 4600000000011'],
    ]);
  });

  it('keeps the report from other merchants and from roles that cannot import', async () => {
    const res = await owner.upload(
      '/api/v1/imports/products',
      'p.csv',
      utf8('Артикул;Название;Цена\n;;\nX;Y;-1\n'),
    );
    expect(res.statusCode).toBe(422);
    const { reportId } = res.json<Rejection>().details;
    const stranger = await signInUploader(t, 'owner');
    const foreign = await stranger.get(`/api/v1/imports/reports/${reportId}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json<Problem>()).toMatchObject({ code: 'not_found' });
    const analyst = await signInUploader(t, 'analyst', owner.merchantId);
    expect((await analyst.get(`/api/v1/imports/reports/${reportId}`)).statusCode).toBe(403);
  });
});

describe('importing opening balances', () => {
  it('credits lots through the ledger and keeps the invariant', async () => {
    const ivan = await lookup('+79121111101');
    const anna = await lookup('+79121111102');
    if (!ivan || !anna) throw new Error('seed buyers missing');
    const csv = utf8(
      'Телефон;Номер карты;Баллы;Сгорают\n' +
        '+79121111101;;150,50;31.12.2099\n' +
        '8 912 111-11-01;1000000001;10;\n' +
        ';1000000010;99.99;\n',
    );
    const res = await owner.upload('/api/v1/imports/balances', 'balances.csv', csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 3, rows: 3, dryRun: false });

    for (const [buyer, expected] of [
      [ivan, 16_050],
      [anna, 9_999],
    ] as const) {
      const sides = await ledgerSides(t.db, buyer.id);
      expect(sides.balance).toBe(expected);
      expect(sides.entries).toBe(expected);
      expect(sides.lots - sides.debt).toBe(expected);
    }
    const lots = await t.db
      .selectFrom('point_lots')
      .select(['source', 'initial', 'expires_at'])
      .where('buyer_id', '=', ivan.id)
      .orderBy('initial', 'desc')
      .execute();
    // Valid through 31 December in Moscow: burns at local midnight, 21:00 UTC.
    expect(lots).toEqual([
      { source: 'import', initial: 15_050, expires_at: new Date('2099-12-31T21:00:00.000Z') },
      { source: 'import', initial: 1_000, expires_at: null },
    ]);
    const kinds = await t.db
      .selectFrom('ledger_entries')
      .select('kind')
      .distinct()
      .where('buyer_id', 'in', [ivan.id, anna.id])
      .execute();
    expect(kinds).toEqual([{ kind: 'opening_balance' }]);
  });

  it('refuses a file uploaded twice, unknown buyers and bad amounts', async () => {
    const csv = utf8(
      'Телефон;Номер карты;Баллы;Сгорают\n' +
        '+79121111101;;5;\n' +
        '+79991234567;;5;\n' +
        '+79121111103;1000000010;5;\n' +
        '+79121111105;;0,001;01.01.2000\n',
    );
    const res = await owner.upload('/api/v1/imports/balances', 'balances.csv', csv);
    expect(res.statusCode).toBe(422);
    expect(res.json<Rejection>().details.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, null, 'opening_balance_exists'],
      [3, 'Телефон', 'buyer_not_found'],
      [4, null, 'buyer_mismatch'],
      [5, 'Баллы', 'invalid_number'],
      [5, 'Сгорают', 'expiry_in_past'],
    ]);
  });
});

describe('permissions', () => {
  it('refuses imports to roles without the permissions of the kind', async () => {
    const csv = utf8('Телефон\n+79121111199\n');
    const analyst = await signInUploader(t, 'analyst', owner.merchantId);
    const refused = await analyst.upload('/api/v1/imports/buyers', 'b.csv', csv);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<Problem>()).toMatchObject({ code: 'forbidden' });
    // A marketer edits buyers but may not change points by hand.
    const marketer = await signInUploader(t, 'marketer', owner.merchantId);
    const balances = await marketer.upload(
      '/api/v1/imports/balances',
      'b.csv',
      utf8('Телефон;Баллы\n+79121111101;1\n'),
    );
    expect(balances.statusCode).toBe(403);
    expect((await marketer.upload('/api/v1/imports/buyers?dryRun=true', 'b.csv', csv)).statusCode).toBe(200);
  });
});

describe('unreadable files', () => {
  const expectProblem = (res: { statusCode: number; json: <T>() => T }, status: number, code: string) => {
    expect(res.statusCode).toBe(status);
    const body = res.json<Problem>();
    expect(body.code).toBe(code);
    expect(body.message.length).toBeGreaterThan(10);
    expect(body).toHaveProperty('details');
  };

  it('answers 400 in the API shape for empty, header-only, binary and broken files', async () => {
    expectProblem(await owner.upload('/api/v1/imports/buyers', 'e.csv', Buffer.alloc(0)), 400, 'empty_file');
    expectProblem(
      await owner.upload('/api/v1/imports/buyers', 'h.csv', utf8('Телефон;Фамилия\n\n')),
      400,
      'empty_file',
    );
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    expectProblem(await owner.upload('/api/v1/imports/buyers', 'g.csv', garbage), 400, 'unreadable_file');
    const broken = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(2000, 1)]);
    expectProblem(await owner.upload('/api/v1/imports/buyers', 'b.xlsx', broken), 400, 'unreadable_file');
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(100)]);
    expectProblem(await owner.upload('/api/v1/imports/buyers', 'old.xls', xls), 400, 'unsupported_format');
    expectProblem(
      await owner.upload('/api/v1/imports/buyers', 'q.csv', utf8('a,"b\n1,2\n')),
      400,
      'unreadable_file',
    );
  });

  it('keeps the report of a cell PostgreSQL cannot store, deep in a text file', async () => {
    // Binary bytes are refused up front only in the first 64 KB; later ones reach the row checks.
    const rows = Array.from({ length: 4000 }, (_, i) => `+7912${String(4_000_000 + i)};Иванов`);
    const csv = utf8(`Телефон;Фамилия\n${rows.join('\n')}\n+79125000000;Ив\u0000ан\n`);
    const res = await owner.upload('/api/v1/imports/buyers', 'nul.csv', csv);
    expect(res.statusCode).toBe(422);
    const body = res.json<Rejection>();
    expect(body.details.errors).toMatchObject([{ row: 4002, column: 'Фамилия' }]);
    const report = await owner.get(`/api/v1/imports/reports/${body.details.reportId}`);
    expect((await sheetRows(report.rawPayload))[1]?.slice(0, 3)).toEqual([4002, 'Фамилия', 'Иван']);
  });

  it('answers 400 with the accepted headers when columns are unknown, repeated or missing', async () => {
    const res = await owner.upload(
      '/api/v1/imports/products',
      'p.csv',
      utf8('Артикул;Название;Колор;Название\nA;B;C;D\n'),
    );
    expectProblem(res, 400, 'import_columns');
    expect(res.json<{ details: unknown }>().details).toMatchObject({
      unknown: ['Колор'],
      repeated: ['Название'],
      missing: ['Цена'],
    });
  });

  it('answers 400 without a file and 413 or 400 past the limits', async () => {
    expectProblem(
      await session.request('POST', '/api/v1/imports/buyers', { file: 'x' }),
      400,
      'file_required',
    );
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x41);
    expectProblem(await owner.upload('/api/v1/imports/buyers', 'big.csv', big), 413, 'file_too_large');
    const long = utf8(`Телефон\n${'+79121111101\n'.repeat(100_001)}`);
    expectProblem(await owner.upload('/api/v1/imports/buyers', 'long.csv', long), 400, 'too_many_rows');
  });
});

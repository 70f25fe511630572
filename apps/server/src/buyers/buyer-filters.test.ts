// D1: every buyer-base filter, sorting and paging against a seeded set, asserting exact buyers.
// Seed (merchant time zone Europe/Moscow; "today" is the merchant's today):
//   A  Иванов Иван Петрович, male, 30 today, cabinet, store S1 / cashier C1 / type T1,
//      10 purchases for 1000 ₽, balance 50, last bought 2 days ago in S2, card 1000000001, referrer of B and C
//   B  Петрова Анна, female, 30 tomorrow, till, S2 / C2 / T2, 2 purchases for 300 ₽, last 40 days ago in S1,
//      card 1000000005, referred by A
//   C  Сидоров, web, registered 10 days ago, never bought, balance 1, referred by A
//   D  card 1000000020 only, import, registered 100 days ago, 1 purchase for 50 ₽ 100 days ago
//   erased and another merchant's buyers never show.
import type { Updateable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuyersTable } from '#db/database-schema.ts';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

const DAY = 86_400_000;
let t: TestApp;
let owner: Session;
const ids: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
const refs = { S1: '', S2: '', C1: '', C2: '', T1: '', T2: '' };
let birthA = '';
let birthB = '';

/** The merchant's calendar date `days` from now, shifted by `years`. */
function moscowDate(days: number, years = 0): string {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' })
    .format(new Date(Date.now() + days * DAY))
    .split('-')
    .map(Number);
  return new Date(Date.UTC((y ?? 0) + years, (m ?? 1) - 1, d)).toISOString().slice(0, 10);
}

async function created(body: object): Promise<string> {
  const res = await owner.request('POST', '/api/v1/buyers', body);
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json<{ id: string }>().id;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
  const m = owner.merchantId;
  const store = async (name: string) =>
    (
      await t.db
        .insertInto('stores')
        .values({ merchant_id: m, name, attributes: '{}' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const cashier = async (name: string) =>
    (
      await t.db
        .insertInto('cashiers')
        .values({ merchant_id: m, name, role: 'cashier', code_hash: 'x', code_lookup: Buffer.from(name) })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const cardType = async (name: string, rank: number) =>
    (
      await t.db
        .insertInto('card_types')
        .values({ merchant_id: m, name, rank, issue: 'manual' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  Object.assign(refs, {
    S1: await store('S1'),
    S2: await store('S2'),
    C1: await cashier('C1'),
    C2: await cashier('C2'),
    T1: await cardType('Стандартная', 1),
    T2: await cardType('Золотая', 2),
  });
  const series = await owner.request('POST', '/api/v1/card-series', {
    name: 'Основная',
    numberFrom: 1_000_000_001,
    numberTo: 1_000_000_030,
    kind: 'personal',
  });
  expect(series.statusCode).toBe(201);

  birthA = moscowDate(0, -30);
  birthB = moscowDate(1, -30);
  ids.A = await created({
    phone: '+7 912 000-00-01',
    lastName: 'Иванов',
    firstName: 'Иван',
    middleName: 'Петрович',
    gender: 'male',
    email: 'ivan@example.com',
    birthDate: birthA,
    registrationStoreId: refs.S1,
    registrationCashierId: refs.C1,
    cardNumber: '1000000001',
  });
  ids.B = await created({
    phone: '8 912 000 00 02',
    lastName: 'Петрова',
    firstName: 'Анна',
    gender: 'female',
    email: 'anna@MAIL.ru',
    birthDate: birthB,
    channel: 'till',
    registrationStoreId: refs.S2,
    registrationCashierId: refs.C2,
    referrerId: ids.A,
    cardNumber: '1000000005',
  });
  ids.C = await created({
    phone: '9120000003',
    lastName: 'Сидоров',
    channel: 'web',
    referrerPhone: '+79120000001',
  });
  ids.D = await created({ cardNumber: '1000000020', channel: 'import' });
  const erased = await created({ phone: '+79120000009', lastName: 'Иванова', cardNumber: '1000000002' });
  expect((await owner.request('DELETE', `/api/v1/buyers/${erased}`)).statusCode).toBe(204);
  const other = await t.signIn('owner');
  expect(
    (await other.request('POST', '/api/v1/buyers', { phone: '+79120000001', lastName: 'Иванов' })).statusCode,
  ).toBe(201);

  const now = Date.now();
  const set = (id: string, values: Updateable<BuyersTable>) =>
    t.db.updateTable('buyers').set(values).where('id', '=', id).execute();
  await set(ids.A, {
    card_type_id: refs.T1,
    purchases_count: 10,
    purchases_total: 100_000,
    balance: 5_000,
    last_purchase_at: new Date(now - 2 * DAY),
    last_store_id: refs.S2,
  });
  await set(ids.B, {
    card_type_id: refs.T2,
    purchases_count: 2,
    purchases_total: 30_000,
    last_purchase_at: new Date(now - 40 * DAY),
    last_store_id: refs.S1,
  });
  await set(ids.C, { balance: 100, registered_at: new Date(now - 10 * DAY) });
  await set(ids.D, {
    purchases_count: 1,
    purchases_total: 5_000,
    registered_at: new Date(now - 100 * DAY),
    last_purchase_at: new Date(now - 100 * DAY),
  });
});
afterAll(async () => {
  await t.close();
});

type Page = { items: Array<{ id: string }>; total: number; page: number; pageSize: number };

async function list(query: string): Promise<Page> {
  const res = await owner.request('GET', `/api/v1/buyers?${query}`);
  if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode} ${res.body}`);
  return res.json<Page>();
}

/** The seed letters a query returns, sorted. */
async function found(query: string): Promise<string[]> {
  const page = await list(query);
  const letter = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? `unexpected ${id}`;
  return page.items.map((b) => letter(b.id)).sort();
}

describe('D1 filters', () => {
  it('lists every live buyer of the merchant and nothing else', async () => {
    expect(await found('')).toEqual(['A', 'B', 'C', 'D']);
  });

  it('card type (several at once)', async () => {
    expect(await found(`cardTypeId=${refs.T1}`)).toEqual(['A']);
    expect(await found(`cardTypeId=${refs.T1}&cardTypeId=${refs.T2}`)).toEqual(['A', 'B']);
    expect(await found(`cardTypeId=${refs.T1},${refs.T2}`)).toEqual(['A', 'B']);
  });

  it('store of registration, last store, cashier', async () => {
    expect(await found(`registrationStoreId=${refs.S1}`)).toEqual(['A']);
    expect(await found(`lastStoreId=${refs.S2}`)).toEqual(['A']);
    expect(await found(`lastStoreId=${refs.S1}`)).toEqual(['B']);
    expect(await found(`registrationCashierId=${refs.C2}`)).toEqual(['B']);
  });

  it('card number range, compared as numbers, without erased holders', async () => {
    expect(await found('cardNumberFrom=1000000000&cardNumberTo=1000000010')).toEqual(['A', 'B']);
    expect(await found('cardNumberFrom=1000000006')).toEqual(['D']);
    expect(await found('cardNumberTo=1000000001')).toEqual(['A']);
    expect(await found('cardNumberFrom=999&cardNumberTo=99999')).toEqual([]);
  });

  it('registration channel', async () => {
    expect(await found('channel=till,web')).toEqual(['B', 'C']);
    expect(await found('channel=import')).toEqual(['D']);
  });

  it('referred, by whom, and is a referrer', async () => {
    expect(await found('referred=true')).toEqual(['B', 'C']);
    expect(await found('referred=false')).toEqual(['A', 'D']);
    expect(await found(`referrerPhone=${encodeURIComponent('8 912 000-00-01')}`)).toEqual(['B', 'C']);
    expect(await found(`referrerPhone=${encodeURIComponent('+79120000003')}`)).toEqual([]);
    expect(await found('isReferrer=true')).toEqual(['A']);
    expect(await found('isReferrer=false')).toEqual(['B', 'C', 'D']);
  });

  it('phone: a full number in any spelling, or a fragment of digits', async () => {
    expect(await found('phone=89120000002')).toEqual(['B']);
    expect(await found(`phone=${encodeURIComponent('+7 (912) 000-00-02')}`)).toEqual(['B']);
    expect(await found('phone=000000')).toEqual(['A', 'B', 'C']);
    const bad = await owner.request('GET', '/api/v1/buyers?phone=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('phone_invalid');
  });

  it('e-mail and names, case-insensitive, Cyrillic included', async () => {
    expect(await found('email=MAIL.RU')).toEqual(['B']);
    expect(await found(`lastName=${encodeURIComponent('иван')}`)).toEqual(['A']);
    expect(await found(`firstName=${encodeURIComponent('АННА')}`)).toEqual(['B']);
    expect(await found(`middleName=${encodeURIComponent('петрович')}`)).toEqual(['A']);
    expect(await found(`lastName=${encodeURIComponent('100%')}`)).toEqual([]);
  });

  it('gender', async () => {
    expect(await found('gender=female')).toEqual(['B']);
    expect(await found('gender=male')).toEqual(['A']);
  });

  it('age in full years on the merchant today, birthday boundaries included', async () => {
    expect(await found('ageFrom=30')).toEqual(['A']);
    expect(await found('ageTo=29')).toEqual(['B']);
    expect(await found('ageFrom=29&ageTo=29')).toEqual(['B']);
    expect(await found('ageFrom=29&ageTo=30')).toEqual(['A', 'B']);
  });

  it('birth date range', async () => {
    expect(await found(`birthDateFrom=${birthB}`)).toEqual(['B']);
    expect(await found(`birthDateFrom=${birthA}&birthDateTo=${birthA}`)).toEqual(['A']);
    expect(await found('birthDateTo=1900-01-01')).toEqual([]);
  });

  it('registration date range, in merchant days', async () => {
    expect(await found(`registeredFrom=${moscowDate(-15)}`)).toEqual(['A', 'B', 'C']);
    expect(await found(`registeredFrom=${moscowDate(-10)}&registeredTo=${moscowDate(-10)}`)).toEqual(['C']);
    expect(await found(`registeredTo=${moscowDate(-50)}`)).toEqual(['D']);
  });

  it('average check, total revenue, purchases count, balance', async () => {
    expect(await found('averageCheckFrom=12000')).toEqual(['B']);
    expect(await found('averageCheckTo=10000')).toEqual(['A', 'D']);
    expect(await found('purchasesTotalFrom=50000')).toEqual(['A']);
    expect(await found('purchasesTotalTo=30000')).toEqual(['B', 'C', 'D']);
    expect(await found('purchasesCountFrom=1&purchasesCountTo=2')).toEqual(['B', 'D']);
    expect(await found('purchasesCountTo=0')).toEqual(['C']);
    expect(await found('balanceFrom=1&balanceTo=1000')).toEqual(['C']);
    expect(await found('balanceFrom=5000')).toEqual(['A']);
  });

  it('days without purchase, counting from registration for those who never bought', async () => {
    expect(await found('daysWithoutPurchaseFrom=30')).toEqual(['B', 'D']);
    expect(await found('daysWithoutPurchaseTo=5')).toEqual(['A']);
    expect(await found('daysWithoutPurchaseFrom=2&daysWithoutPurchaseTo=2')).toEqual(['A']);
    expect(await found('daysWithoutPurchaseFrom=5&daysWithoutPurchaseTo=15')).toEqual(['C']);
  });

  it('search box: names, phone digits, card number', async () => {
    expect(await found(`search=${encodeURIComponent('петр')}`)).toEqual(['A', 'B']);
    expect(await found('search=1000000020')).toEqual(['D']);
    expect(await found('search=0000003')).toEqual(['C']);
  });

  it('product bought in a period (ids or SKUs), in merchant days', async () => {
    const bought = async (buyer: 'A' | 'C', productId: string, daysAgo: number) => {
      const receipt = await t.db
        .insertInto('receipts')
        .values({
          merchant_id: owner.merchantId,
          idempotency_key: `filter-${buyer}-${productId}`,
          request_hash: Buffer.alloc(32),
          buyer_id: ids[buyer],
          amount: 10_000,
          discount: 0,
          points_paid: 0,
          paid_money: 10_000,
          accrual: 0,
          calculation: '{}',
          response: '{}',
          created_at: new Date(Date.now() - daysAgo * 86_400_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto('receipt_lines')
        .values({
          receipt_id: receipt.id,
          merchant_id: owner.merchantId,
          position: 0,
          product_id: productId,
          category_id: null,
          quantity: 1000,
          price: 10_000,
          amount: 10_000,
          discount: 0,
          points_paid: 0,
          paid_money: 10_000,
          accrual: 0,
        })
        .execute();
    };
    await bought('A', 'MILK-1', 10);
    await bought('C', 'BREAD-7', 100);
    await bought('C', 'MILK-1', 200);
    expect(await found('boughtProductId=MILK-1')).toEqual(['A', 'C']);
    expect(await found(`boughtProductId=MILK-1&boughtFrom=${moscowDate(-30)}`)).toEqual(['A']);
    expect(await found(`boughtProductId=MILK-1,BREAD-7&boughtTo=${moscowDate(-50)}`)).toEqual(['C']);
    expect(await found('boughtProductId=NOTHING')).toEqual([]);
  });

  it('combines filters with AND', async () => {
    expect(await found('gender=male&channel=cabinet')).toEqual(['A']);
    expect(await found('gender=male&channel=till')).toEqual([]);
  });

  it('refuses malformed filters with 400 and their paths', async () => {
    const res = await owner.request(
      'GET',
      '/api/v1/buyers?cardTypeId=nope&ageFrom=x&gender=x&sort=password&referred=maybe',
    );
    expect(res.statusCode).toBe(400);
    const paths = res
      .json<{ details: { issues: Array<{ path: string }> } }>()
      .details.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'querystring.cardTypeId.0',
        'querystring.ageFrom',
        'querystring.gender',
        'querystring.sort',
        'querystring.referred',
      ]),
    );
  });
});

describe('sorting and paging', () => {
  const order = async (query: string) => {
    const letter = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0];
    return (await list(query)).items.map((b) => letter(b.id));
  };

  it('sorts by allowed columns, empty values last in either direction', async () => {
    expect(await order('sort=purchasesTotal&order=desc')).toEqual(['A', 'B', 'D', 'C']);
    expect(await order('sort=lastName&order=asc')).toEqual(['A', 'B', 'C', 'D']);
    expect(await order('sort=lastName&order=desc')).toEqual(['C', 'B', 'A', 'D']);
    expect(await order('sort=averageCheck&order=asc')).toEqual(['D', 'A', 'B', 'C']);
    expect(await order('sort=registeredAt&order=asc')).toEqual(['D', 'C', 'A', 'B']);
  });

  it('pages with the total', async () => {
    const second = await list('sort=purchasesTotal&order=desc&pageSize=2&page=2');
    expect(second).toMatchObject({ total: 4, page: 2, pageSize: 2 });
    expect(second.items.map((b) => b.id)).toEqual([ids.D, ids.C]);
    const beyond = await list('pageSize=2&page=5');
    expect(beyond).toMatchObject({ total: 4, items: [] });
  });
});

// B5 exports of the stores, cashiers and terminals tables (C11, B1) on a real PostgreSQL: parsed
// back with exceljs, each has the rows of its JSON list in the same order for the same filters
// and sort (across several pages), store names for ids, no access or pairing codes; another
// merchant's rows never appear; refused filters answer 400 in the API's shape, no session 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { exportedSheet } from './upload.test-helper.ts';

let t: TestApp;
let owner: Session;
let other: Session;
const storeIds: string[] = [];

async function ok<T>(session: Session, method: string, url: string, body?: unknown): Promise<T> {
  const res = await session.request(method, url, body);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<T>();
}

/** The export's header and rows, failing on anything but a 200 XLSX. */
async function exported(url: string, as: Session = owner) {
  const res = await as.request('GET', url);
  expect(res.headers['content-disposition']).toMatch(
    /^attachment; filename="[a-z-]+-\d{4}-\d{2}-\d{2}\.xlsx"$/,
  );
  return exportedSheet(res);
}

/** Every item of a JSON list for the query, across pages. */
async function listed<T>(path: string, query: string, as: Session = owner): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    const items = (await ok<{ items: T[] }>(as, 'GET', `${path}?${query}&page=${page}&pageSize=500`)).items;
    all.push(...items);
    if (items.length < 500) return all;
  }
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
  other = await t.signIn('owner');
  const cities = ['Пермь', 'Казань', 'Пермь'];
  for (const [i, city] of cities.entries()) {
    const store = await ok<{ id: string }>(owner, 'POST', '/api/v1/stores', {
      name: `Магазин ${i + 1}`,
      address: `ул. Ленина, ${i + 1}`,
      attributes: { city, format: i === 0 ? 'у дома' : 'гипер', этаж: String(i + 1) },
    });
    storeIds.push(store.id);
  }
  const archived = await owner.request('DELETE', `/api/v1/stores/${storeIds[2]}`);
  expect(archived.statusCode, archived.body).toBeLessThan(300);
  // More cashiers than one export page (500), so the sheet reads several pages.
  await t.db
    .insertInto('cashiers')
    .values(
      Array.from({ length: 520 }, (_, i) => ({
        merchant_id: owner.merchantId,
        name: `Кассир ${String(i).padStart(3, '0')}`,
        role: i % 10 === 0 ? ('senior' as const) : ('cashier' as const),
        store_id: storeIds[i % 2] ?? null,
        code_hash: `hash-${i}`,
        code_lookup: Buffer.from(`lookup-${i}`),
      })),
    )
    .execute();
  await ok(other, 'POST', '/api/v1/stores', { name: 'Чужой магазин', address: 'где-то', attributes: {} });
  for (const name of ['Касса 2', 'Касса 1'])
    await ok(owner, 'POST', '/api/v1/terminals', { storeId: storeIds[0], name });
});
afterAll(async () => {
  await t.close();
});

describe('stores, cashiers and terminals exports (B5, C11, B1)', () => {
  it('stores: the list rows in the list order, attributes in their columns, archived ones by filter', async () => {
    type Store = { id: string; name: string; archivedAt: string | null };
    const query = 'state=all&sort=name&order=desc';
    const json = await listed<Store>('/api/v1/stores', query);
    const { column } = await exported(`/api/v1/exports/stores.xlsx?${query}`);
    expect(column('ID')).toEqual(json.map((s) => s.id));
    expect(column('Название')).toEqual(['Магазин 3', 'Магазин 2', 'Магазин 1']);
    expect(column('Город')).toEqual(['Пермь', 'Казань', 'Пермь']);
    expect(column('Формат')).toEqual(['гипер', 'гипер', 'у дома']);
    expect(column('Другие атрибуты')).toEqual(['этаж: 3', 'этаж: 2', 'этаж: 1']);
    const cityQuery = `city=${encodeURIComponent('Пермь')}&state=all`;
    const byCityJson = await listed<Store>('/api/v1/stores', cityQuery);
    expect(byCityJson.map((x) => x.name)).toEqual(['Магазин 1', 'Магазин 3']);
    const byCity = await exported(`/api/v1/exports/stores.xlsx?${cityQuery}`);
    expect(byCity.column('Название')).toEqual(['Магазин 1', 'Магазин 3']);
    // Another merchant's store is in no export of this merchant.
    expect(column('Название')).not.toContain('Чужой магазин');
  });

  it('cashiers: every page of the list in its order, store names, no access code', async () => {
    type Cashier = { id: string; name: string };
    const query = 'sort=role&order=desc';
    const json = await listed<Cashier>('/api/v1/cashiers', query);
    expect(json).toHaveLength(520);
    const { header, column } = await exported(`/api/v1/exports/cashiers.xlsx?${query}`);
    expect(column('ID')).toEqual(json.map((c) => c.id));
    expect(header.some((h) => /код/i.test(String(h)))).toBe(false);
    const seniors = await exported(`/api/v1/exports/cashiers.xlsx?role=senior&storeId=${storeIds[0]}`);
    expect(seniors.column('Роль')).toEqual(Array(52).fill('старший кассир'));
    expect(new Set(seniors.column('Магазин'))).toEqual(new Set(['Магазин 1']));
  });

  it('terminals: the list rows with store name and sync state, no pairing code', async () => {
    type Terminal = { id: string; name: string };
    const json = await listed<Terminal>('/api/v1/terminals', 'sort=name');
    const { header, column } = await exported('/api/v1/exports/terminals.xlsx?sort=name');
    expect(column('ID')).toEqual(json.map((x) => x.id));
    expect(column('Название')).toEqual(['Касса 1', 'Касса 2']);
    expect(column('Магазин')).toEqual(['Магазин 1', 'Магазин 1']);
    expect(column('Состояние')).toEqual(['ждёт кода', 'ждёт кода']);
    expect(column('Операций в очереди')).toEqual([0, 0]);
    expect(header.some((h) => /код подключения/i.test(String(h)))).toBe(false);
    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await exported('/api/v1/exports/terminals.xlsx', analyst)).rows).toHaveLength(2);
    expect((await exported('/api/v1/exports/terminals.xlsx', other)).rows).toHaveLength(0);
  });

  it('refuses bad filters with 400 and the API error shape, and a caller without a session with 401', async () => {
    for (const url of [
      '/api/v1/exports/stores.xlsx?sort=nope',
      '/api/v1/exports/cashiers.xlsx?storeId=not-a-uuid',
      '/api/v1/exports/terminals.xlsx?status=lost',
    ]) {
      const res = await owner.request('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ code: 'invalid_request' });
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/exports/stores.xlsx' });
    expect(anonymous.statusCode).toBe(401);
  });
});

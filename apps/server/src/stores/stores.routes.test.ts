// C11, B7, C10: stores CRUD, paging and sorting, merchant isolation, rights, validation, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

type Store = {
  id: string;
  name: string;
  address: string;
  attributes: Record<string, string>;
  archivedAt: string | null;
};
type Page<T> = { items: T[]; total: number; page: number; pageSize: number };
type ApiError = { code: string; message: string; details: { issues?: Array<{ path: string }> } | null };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function createStore(session: Session, body: object): Promise<Store> {
  const response = await session.request('POST', '/api/v1/stores', body);
  expect(response.statusCode).toBe(201);
  return response.json<Store>();
}

describe('stores', () => {
  it('creates, reads, changes and archives a store, auditing each change', async () => {
    const owner = await t.signIn('owner');
    const created = await createStore(owner, {
      name: '  Ромашка на Ленина ',
      address: 'Казань, ул. Ленина, 1',
      attributes: { format: 'у дома', cluster: 'Север', city: 'Казань', floor: '2', region: '' },
    });
    expect(created).toMatchObject({
      name: 'Ромашка на Ленина',
      attributes: { format: 'у дома', cluster: 'Север', city: 'Казань', floor: '2' },
      archivedAt: null,
    });
    expect(created.attributes).not.toHaveProperty('region');

    const read = await owner.request('GET', `/api/v1/stores/${created.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(created);

    const patched = await owner.request('PATCH', `/api/v1/stores/${created.id}`, {
      name: 'Ромашка-1',
      attributes: { city: 'Казань', format: 'гипермаркет' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Ромашка-1',
      address: 'Казань, ул. Ленина, 1',
      attributes: { city: 'Казань', format: 'гипермаркет' },
    });
    expect(patched.json<Store>().attributes).not.toHaveProperty('cluster');

    expect((await owner.request('DELETE', `/api/v1/stores/${created.id}`)).statusCode).toBe(204);
    const archived = await owner.request('GET', `/api/v1/stores/${created.id}`);
    expect(archived.json<Store>().archivedAt).not.toBeNull();
    const active = await owner.request('GET', '/api/v1/stores');
    expect(active.json<Page<Store>>().total).toBe(0);
    const inArchive = await owner.request('GET', '/api/v1/stores?state=archived');
    expect(inArchive.json<Page<Store>>().items.map((s) => s.id)).toEqual([created.id]);
    expect((await owner.request('PATCH', `/api/v1/stores/${created.id}`, { name: 'x' })).statusCode).toBe(
      404,
    );
    expect((await owner.request('DELETE', `/api/v1/stores/${created.id}`)).statusCode).toBe(404);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'before', 'after', 'actor_id'])
      .where('merchant_id', '=', owner.merchantId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['store.create', 'store.update', 'store.archive']);
    expect(audit.every((a) => a.entity_id === created.id && a.actor_id === owner.userId)).toBe(true);
    expect(audit[1]).toMatchObject({
      before: { name: 'Ромашка на Ленина' },
      after: { name: 'Ромашка-1', attributes: { format: 'гипермаркет' } },
    });
    expect(audit[2]?.after).toMatchObject({ archivedAt: expect.any(String) as string });
  });

  it('pages, sorts, searches and filters by attributes on the server', async () => {
    const owner = await t.signIn('owner');
    const names = ['Вишня', 'Абрикос', 'Груша', 'Банан', 'Дыня'];
    const cities = ['Омск', 'Казань', 'Пермь', 'Казань', 'Уфа'];
    for (const [i, name] of names.entries())
      await createStore(owner, { name, attributes: { city: cities[i], format: i % 2 ? 'мини' : 'макси' } });

    const first = await owner.request('GET', '/api/v1/stores?page=1&pageSize=2&sort=name');
    expect(first.json<Page<Store>>()).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(first.json<Page<Store>>().items.map((s) => s.name)).toEqual(['Абрикос', 'Банан']);
    const last = await owner.request('GET', '/api/v1/stores?page=3&pageSize=2&sort=name');
    expect(last.json<Page<Store>>().items.map((s) => s.name)).toEqual(['Дыня']);
    const beyond = await owner.request('GET', '/api/v1/stores?page=9&pageSize=2');
    expect(beyond.json<Page<Store>>()).toMatchObject({ items: [], total: 5 });

    const byCity = await owner.request('GET', '/api/v1/stores?sort=city&order=desc');
    expect(byCity.json<Page<Store>>().items.map((s) => s.attributes.city)).toEqual([
      'Уфа',
      'Пермь',
      'Омск',
      'Казань',
      'Казань',
    ]);
    const search = await owner.request('GET', `/api/v1/stores?search=${encodeURIComponent('гРуШ')}`);
    expect(search.json<Page<Store>>().items.map((s) => s.name)).toEqual(['Груша']);
    const literal = await owner.request('GET', '/api/v1/stores?search=%25');
    expect(literal.json<Page<Store>>().total).toBe(0);
    const filtered = await owner.request(
      'GET',
      `/api/v1/stores?city=${encodeURIComponent('казань')}&format=${encodeURIComponent('мини')}`,
    );
    expect(filtered.json<Page<Store>>().items.map((s) => s.name)).toEqual(['Абрикос', 'Банан']);
  });

  it("answers 404 for another merchant's store and never lists it", async () => {
    const a = await t.signIn('owner');
    const b = await t.signIn('owner');
    const theirs = await createStore(b, { name: 'Чужой магазин' });
    expect((await a.request('GET', `/api/v1/stores/${theirs.id}`)).statusCode).toBe(404);
    const patch = await a.request('PATCH', `/api/v1/stores/${theirs.id}`, { name: 'взлом' });
    expect(patch.statusCode).toBe(404);
    expect(patch.json()).toMatchObject({ code: 'not_found', details: null });
    expect((await a.request('DELETE', `/api/v1/stores/${theirs.id}`)).statusCode).toBe(404);
    expect((await a.request('GET', '/api/v1/stores?state=all')).json<Page<Store>>().total).toBe(0);
    const untouched = await b.request('GET', `/api/v1/stores/${theirs.id}`);
    expect(untouched.json()).toMatchObject({ name: 'Чужой магазин', archivedAt: null });
  });

  it('lets an analyst read but not write, and a marketer not write stores (403)', async () => {
    const owner = await t.signIn('owner');
    const store = await createStore(owner, { name: 'Склад' });
    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await analyst.request('GET', '/api/v1/stores')).statusCode).toBe(200);
    expect((await analyst.request('GET', `/api/v1/stores/${store.id}`)).statusCode).toBe(200);
    const refused = await analyst.request('POST', '/api/v1/stores', { name: 'Новый' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ApiError>().code).toBe('forbidden');
    expect((await analyst.request('PATCH', `/api/v1/stores/${store.id}`, { name: 'x' })).statusCode).toBe(
      403,
    );
    expect((await analyst.request('DELETE', `/api/v1/stores/${store.id}`)).statusCode).toBe(403);
    const marketer = await t.signIn('marketer', owner.merchantId);
    expect((await marketer.request('POST', '/api/v1/stores', { name: 'Новый' })).statusCode).toBe(403);
    const manager = await t.signIn('manager', owner.merchantId);
    expect((await manager.request('POST', '/api/v1/stores', { name: 'Новый' })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/stores' })).statusCode).toBe(401);
  });

  it('answers malformed input with 400, invalid_request and the paths at fault', async () => {
    const owner = await t.signIn('owner');
    const issuesOf = (body: ApiError) => (body.details?.issues ?? []).map((i) => i.path).sort();

    const bad = await owner.request('POST', '/api/v1/stores', {
      name: '   ',
      attributes: { city: 5, format: 'x'.repeat(101) },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ApiError>().code).toBe('invalid_request');
    expect(issuesOf(bad.json())).toEqual(['body.attributes.city', 'body.attributes.format', 'body.name']);

    const nul = await owner.request('POST', '/api/v1/stores', { name: 'a\u0000b' });
    expect(nul.statusCode).toBe(400);
    expect(issuesOf(nul.json())).toEqual(['body.name']);
    const surrogate = await owner.request('POST', '/api/v1/stores', {
      name: 'ok',
      attributes: { note: '\ud800' },
    });
    expect(surrogate.statusCode).toBe(400);

    const sort = await owner.request('GET', '/api/v1/stores?sort=password&pageSize=0');
    expect(sort.statusCode).toBe(400);
    expect(issuesOf(sort.json())).toEqual(['querystring.pageSize', 'querystring.sort']);

    const id = await owner.request('GET', '/api/v1/stores/not-a-uuid');
    expect(id.statusCode).toBe(400);
    expect(issuesOf(id.json())).toEqual(['params.id']);

    const store = await createStore(owner, { name: 'Пустой патч' });
    const empty = await owner.request('PATCH', `/api/v1/stores/${store.id}`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json<ApiError>().code).toBe('invalid_request');

    const tooMany = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']));
    expect(
      (await owner.request('POST', '/api/v1/stores', { name: 'x', attributes: tooMany })).statusCode,
    ).toBe(400);
  });
});

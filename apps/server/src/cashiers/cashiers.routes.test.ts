// C11, C10: cashiers with access codes shown once and stored only hashed, store links, paging,
// merchant isolation, rights, validation, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySecret } from '#auth/secrets.ts';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { accessCodeLookup } from './access-code.ts';

type Cashier = { id: string; name: string; role: string; storeId: string | null; archivedAt: string | null };
type WithCode = Cashier & { code: string };
type Page<T> = { items: T[]; total: number };
type ApiError = { code: string; details: { issues?: Array<{ path: string }>; storeId?: string } | null };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function createCashier(session: Session, body: object): Promise<WithCode> {
  const response = await session.request('POST', '/api/v1/cashiers', body);
  expect(response.statusCode).toBe(201);
  return response.json<WithCode>();
}

const stored = (id: string) =>
  t.db
    .selectFrom('cashiers')
    .select(['code_hash', 'code_lookup', 'merchant_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('cashiers', () => {
  it('shows a generated code once, keeps only its hashes, and audits without secrets', async () => {
    const owner = await t.signIn('owner');
    const created = await createCashier(owner, { name: 'Анна', role: 'senior' });
    expect(created.code).toMatch(/^\d{6}$/);
    expect(created).toMatchObject({ name: 'Анна', role: 'senior', storeId: null, archivedAt: null });
    expect(Object.keys(created).sort()).toEqual(
      ['archivedAt', 'code', 'createdAt', 'id', 'name', 'role', 'storeId', 'updatedAt'].sort(),
    );

    const row = await stored(created.id);
    expect(row.code_hash).toMatch(/^\$argon2id\$/);
    expect(await verifySecret(created.code, row.code_hash)).toBe(true);
    expect(await verifySecret('000000' === created.code ? '111111' : '000000', row.code_hash)).toBe(false);
    expect(row.code_lookup.equals(accessCodeLookup(owner.merchantId, created.code))).toBe(true);

    const read = await owner.request('GET', `/api/v1/cashiers/${created.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).not.toHaveProperty('code');
    expect(read.body).not.toContain('argon2');
    const list = await owner.request('GET', '/api/v1/cashiers');
    expect(list.json<Page<Cashier>>().items[0]).not.toHaveProperty('code');

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'after'])
      .where('merchant_id', '=', owner.merchantId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'cashier.create',
      entity_id: created.id,
      after: { name: 'Анна' },
    });
    expect(audit[0]?.after).not.toHaveProperty('code');
    expect(JSON.stringify(audit)).not.toContain('argon2');
  });

  it('refuses a code another cashier of the merchant has (409), and allows it in another merchant', async () => {
    const owner = await t.signIn('owner');
    const first = await createCashier(owner, { name: 'Борис', code: '4815162342' });
    expect(first.code).toBe('4815162342');
    expect(await verifySecret('4815162342', (await stored(first.id)).code_hash)).toBe(true);
    const duplicate = await owner.request('POST', '/api/v1/cashiers', { name: 'Вера', code: '4815162342' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json<ApiError>().code).toBe('conflict');
    const other = await t.signIn('owner');
    await createCashier(other, { name: 'Вера', code: '4815162342' });
    // An archived cashier's code stays reserved.
    expect((await owner.request('DELETE', `/api/v1/cashiers/${first.id}`)).statusCode).toBe(204);
    expect(
      (await owner.request('POST', '/api/v1/cashiers', { name: 'Г', code: '4815162342' })).statusCode,
    ).toBe(409);
  });

  it('resets a code: the new one is shown once, the old one stops verifying', async () => {
    const owner = await t.signIn('owner');
    const cashier = await createCashier(owner, { name: 'Дина', code: '1111' });
    const other = await createCashier(owner, { name: 'Егор', code: '2222' });

    const reset = await owner.request('POST', `/api/v1/cashiers/${cashier.id}/reset-code`);
    expect(reset.statusCode).toBe(200);
    const { code } = reset.json<WithCode>();
    expect(code).toMatch(/^\d{6}$/);
    const row = await stored(cashier.id);
    expect(await verifySecret(code, row.code_hash)).toBe(true);
    expect(await verifySecret('1111', row.code_hash)).toBe(false);
    expect(row.code_lookup.equals(accessCodeLookup(owner.merchantId, code))).toBe(true);

    const chosen = await owner.request('POST', `/api/v1/cashiers/${cashier.id}/reset-code`, { code: '7777' });
    expect(chosen.json<WithCode>().code).toBe('7777');
    const taken = await owner.request('POST', `/api/v1/cashiers/${cashier.id}/reset-code`, { code: '2222' });
    expect(taken.statusCode).toBe(409);
    expect(await verifySecret('7777', (await stored(cashier.id)).code_hash)).toBe(true);
    const freed = await createCashier(owner, { name: 'Жанна', code: '1111' });
    expect(freed.code).toBe('1111');

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('merchant_id', '=', owner.merchantId)
      .where('action', '=', 'cashier.reset_code')
      .execute();
    expect(audit).toEqual([
      { action: 'cashier.reset_code', before: null, after: null },
      { action: 'cashier.reset_code', before: null, after: null },
    ]);
    expect((await owner.request('DELETE', `/api/v1/cashiers/${other.id}`)).statusCode).toBe(204);
    expect((await owner.request('POST', `/api/v1/cashiers/${other.id}/reset-code`)).statusCode).toBe(404);
  });

  it('links cashiers to active stores of the same merchant only', async () => {
    const owner = await t.signIn('owner');
    const stranger = await t.signIn('owner');
    const store = (await owner.request('POST', '/api/v1/stores', { name: 'Центр' })).json<{ id: string }>();
    const closed = (await owner.request('POST', '/api/v1/stores', { name: 'Закрыт' })).json<{ id: string }>();
    await owner.request('DELETE', `/api/v1/stores/${closed.id}`);
    const theirs = (await stranger.request('POST', '/api/v1/stores', { name: 'Чужой' })).json<{
      id: string;
    }>();

    const cashier = await createCashier(owner, { name: 'Зоя', storeId: store.id });
    expect(cashier.storeId).toBe(store.id);
    for (const storeId of [theirs.id, closed.id]) {
      const refused = await owner.request('POST', '/api/v1/cashiers', { name: 'Ия', storeId });
      expect(refused.statusCode).toBe(400);
      expect(refused.json<ApiError>()).toMatchObject({ code: 'unknown_store', details: { storeId } });
      const moved = await owner.request('PATCH', `/api/v1/cashiers/${cashier.id}`, { storeId });
      expect(moved.statusCode).toBe(400);
    }
    const unlinked = await owner.request('PATCH', `/api/v1/cashiers/${cashier.id}`, {
      storeId: null,
      role: 'senior',
    });
    expect(unlinked.json()).toMatchObject({ storeId: null, role: 'senior', name: 'Зоя' });
    await createCashier(owner, { name: 'Кира', storeId: store.id });
    const inStore = await owner.request('GET', `/api/v1/cashiers?storeId=${store.id}`);
    expect(inStore.json<Page<Cashier>>().items.map((c) => c.name)).toEqual(['Кира']);
  });

  it('pages, sorts and filters cashiers', async () => {
    const owner = await t.signIn('owner');
    for (const [name, role] of [
      ['Лев', 'cashier'],
      ['Мария', 'senior'],
      ['Нина', 'cashier'],
      ['Олег', 'senior'],
    ])
      await createCashier(owner, { name, role });
    const page = await owner.request('GET', '/api/v1/cashiers?sort=name&order=desc&pageSize=3');
    expect(page.json<Page<Cashier>>()).toMatchObject({ total: 4 });
    expect(page.json<Page<Cashier>>().items.map((c) => c.name)).toEqual(['Олег', 'Нина', 'Мария']);
    const second = await owner.request('GET', '/api/v1/cashiers?sort=name&order=desc&pageSize=3&page=2');
    expect(second.json<Page<Cashier>>().items.map((c) => c.name)).toEqual(['Лев']);
    const seniors = await owner.request('GET', '/api/v1/cashiers?role=senior&search=%D0%BE%D0%BB');
    expect(seniors.json<Page<Cashier>>().items.map((c) => c.name)).toEqual(['Олег']);
  });

  it("answers 404 for another merchant's cashier on every route", async () => {
    const a = await t.signIn('owner');
    const b = await t.signIn('owner');
    const theirs = await createCashier(b, { name: 'Чужой' });
    expect((await a.request('GET', `/api/v1/cashiers/${theirs.id}`)).statusCode).toBe(404);
    expect((await a.request('PATCH', `/api/v1/cashiers/${theirs.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await a.request('POST', `/api/v1/cashiers/${theirs.id}/reset-code`)).statusCode).toBe(404);
    expect((await a.request('DELETE', `/api/v1/cashiers/${theirs.id}`)).statusCode).toBe(404);
    expect(await verifySecret(theirs.code, (await stored(theirs.id)).code_hash)).toBe(true);
  });

  it('refuses writes to roles without stores:write (403) and malformed bodies (400)', async () => {
    const owner = await t.signIn('owner');
    const cashier = await createCashier(owner, { name: 'Павел' });
    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await analyst.request('GET', '/api/v1/cashiers')).statusCode).toBe(200);
    expect((await analyst.request('POST', '/api/v1/cashiers', { name: 'x' })).statusCode).toBe(403);
    expect((await analyst.request('POST', `/api/v1/cashiers/${cashier.id}/reset-code`)).statusCode).toBe(403);
    expect((await analyst.request('DELETE', `/api/v1/cashiers/${cashier.id}`)).statusCode).toBe(403);
    const marketer = await t.signIn('marketer', owner.merchantId);
    expect(
      (await marketer.request('PATCH', `/api/v1/cashiers/${cashier.id}`, { name: 'x' })).statusCode,
    ).toBe(403);

    const bad = await owner.request('POST', '/api/v1/cashiers', {
      name: '',
      role: 'boss',
      code: '12ab',
      storeId: 1,
    });
    expect(bad.statusCode).toBe(400);
    const body = bad.json<ApiError>();
    expect(body.code).toBe('invalid_request');
    expect((body.details?.issues ?? []).map((i) => i.path).sort()).toEqual([
      'body.code',
      'body.name',
      'body.role',
      'body.storeId',
    ]);
    const badReset = await owner.request('POST', `/api/v1/cashiers/${cashier.id}/reset-code`, { code: '1' });
    expect(badReset.statusCode).toBe(400);
    expect((badReset.json<ApiError>().details?.issues ?? []).map((i) => i.path)).toEqual(['body.code']);
  });
});

// B5 exports of the users, the audit log (C10) and the questionnaire fields (D2) on a real
// PostgreSQL, parsed back with exceljs: the rows of the JSON lists in their order (the audit log
// with its filters, newest first, who by name, before and after as JSON), fields with their
// categories by path; the lists' permissions (a manager has no users or audit export), another
// merchant's rows never, bad filters 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { exportedSheet } from './upload.test-helper.ts';

let t: TestApp;
let owner: Session;
let storeId: string;

async function ok<T>(method: string, url: string, body?: unknown, as: Session = owner): Promise<T> {
  const res = await as.request(method, url, body);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<T>();
}

async function exported(url: string, as: Session = owner) {
  const res = await as.request('GET', url);
  return exportedSheet(res);
}

/** A JSON cell read back (the sheet writes before and after as JSON text). */
const parsed = (cell: unknown): unknown => (typeof cell === 'string' ? (JSON.parse(cell) as unknown) : cell);

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
  await t.signIn('marketer', owner.merchantId);
  storeId = (await ok<{ id: string }>('POST', '/api/v1/stores', { name: 'Первый', address: 'а' })).id;
  for (const name of ['Второй', 'Третий']) await ok('PATCH', `/api/v1/stores/${storeId}`, { name });
});
afterAll(async () => {
  await t.close();
});

describe('users, audit log and questionnaire exports (B5, C10, D2)', () => {
  it('users: the list in its order with Russian roles; only for who manages users', async () => {
    const users = await ok<{ id: string; email: string }[]>('GET', '/api/v1/users');
    const { header, column } = await exported('/api/v1/exports/users.xlsx');
    expect(column('ID')).toEqual(users.map((u) => u.id));
    expect(column('Роль').sort()).toEqual(['владелец', 'маркетолог']);
    expect(header.some((h) => /парол/i.test(String(h)))).toBe(false);
    const manager = await t.signIn('manager', owner.merchantId);
    const denied = await manager.request('GET', '/api/v1/exports/users.xlsx');
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'forbidden' });
  });

  it('API keys: the list newest first with their scopes, never the key', async () => {
    const created = await ok<{ id: string; key: string }>('POST', '/api/v1/api-keys', {
      name: '1С',
      scopes: ['buyers:read', 'sales:write'],
    });
    await ok('POST', '/api/v1/api-keys', { name: 'Сайт', scopes: ['buyers:read'] });
    const keys = await ok<{ id: string }[]>('GET', '/api/v1/api-keys');
    const { rows, column } = await exported('/api/v1/exports/api-keys.xlsx');
    expect(column('ID')).toEqual(keys.map((k) => k.id));
    expect(column('Название')).toEqual(['Сайт', '1С']);
    expect(column('Права')).toEqual(['buyers:read', 'buyers:read, sales:write']);
    expect(JSON.stringify(rows)).not.toContain(created.key);
    const manager = await t.signIn('manager', owner.merchantId);
    expect((await manager.request('GET', '/api/v1/exports/api-keys.xlsx')).statusCode).toBe(403);
  });

  it('audit log: the filtered list newest first, who by name, before and after as JSON', async () => {
    type Entry = { action: string; entityId: string | null; before: unknown; after: unknown };
    const list = await ok<{ items: Entry[] }>('GET', '/api/v1/audit-log?entity=store&pageSize=100');
    expect(list.items.length).toBeGreaterThanOrEqual(3);
    const { column } = await exported('/api/v1/exports/audit-log.xlsx?entity=store');
    expect(column('Действие')).toEqual(list.items.map((e) => e.action));
    expect(column('ID объекта')).toEqual(list.items.map((e) => e.entityId));
    expect(column('Было').map(parsed)).toEqual(list.items.map((e) => e.before ?? null));
    expect(column('Стало').map(parsed)).toEqual(list.items.map((e) => e.after ?? null));
    expect(new Set(column('Кто'))).toEqual(new Set([expect.stringContaining('owner (user')]));
    // The action prefix filter, as in the list.
    const updates = await exported('/api/v1/exports/audit-log.xlsx?entity=store&action=store.update');
    expect(new Set(updates.column('Действие'))).toEqual(new Set(['store.update']));
    const manager = await t.signIn('manager', owner.merchantId);
    expect((await manager.request('GET', '/api/v1/exports/audit-log.xlsx')).statusCode).toBe(403);
    const bad = await owner.request('GET', '/api/v1/exports/audit-log.xlsx?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_request' });
    const other = await t.signIn('owner');
    expect((await exported('/api/v1/exports/audit-log.xlsx?entity=store', other)).rows).toHaveLength(0);
  });

  it('questionnaire fields with their kinds, options and categories by path', async () => {
    const drinks = await ok<{ id: string }>('POST', '/api/v1/categories', { name: 'Напитки' });
    const wine = await ok<{ id: string }>('POST', '/api/v1/categories', {
      name: 'Вино',
      parentId: drinks.id,
    });
    await ok('POST', '/api/v1/questionnaire/fields', {
      key: 'passport',
      label: 'Паспорт',
      kind: 'text',
      requiredCategoryIds: [wine.id],
    });
    await ok('POST', '/api/v1/questionnaire/fields', {
      key: 'pet',
      label: 'Питомец',
      kind: 'list',
      options: ['кошка', 'собака'],
      required: true,
    });
    const { fields } = await ok<{ fields: { key: string }[] }>('GET', '/api/v1/questionnaire');
    const { column } = await exported('/api/v1/exports/questionnaire-fields.xlsx');
    expect(column('Ключ')).toEqual(fields.map((f) => f.key));
    const row = (key: string, name: string) => column(name)[column('Ключ').indexOf(key)];
    expect(row('passport', 'Обязательное при категориях')).toBe('Напитки / Вино');
    expect(row('pet', 'Тип')).toBe('список');
    expect(row('pet', 'Варианты')).toBe('кошка, собака');
    expect(row('pet', 'Обязательное')).toBe('да');
    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await exported('/api/v1/exports/questionnaire-fields.xlsx', analyst)).rows).toHaveLength(2);
  });
});

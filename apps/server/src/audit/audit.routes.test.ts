// The audit log over the API (C10): a settings change and a manual points change are read back
// with who, what, before and after; filters narrow them; roles and merchants are checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Entry = {
  action: string;
  entity: string;
  entityId: string | null;
  actorType: string;
  actorId: string | null;
  before: unknown;
  after: unknown;
};

describe('audit log (C10)', () => {
  it('reads back changes newest first with before and after, filtered, for owners only', async () => {
    const owner = await t.signIn('owner');
    const store = await owner.request('POST', '/api/v1/stores', {
      name: 'Магазин 1',
      address: 'ул. Мира, 1',
      attributes: {},
    });
    expect(store.statusCode, store.body).toBe(201);
    const storeId = store.json<{ id: string }>().id;
    const renamed = await owner.request('PATCH', `/api/v1/stores/${storeId}`, { name: 'Магазин на Мира' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const buyer = await owner.request('POST', '/api/v1/buyers', { phone: '+79161234567' });
    const buyerId = buyer.json<{ id: string }>().id;
    const accrued = await owner.request('POST', `/api/v1/buyers/${buyerId}/points`, {
      operation: 'accrue',
      points: 5_000,
      reason: 'Компенсация за задержку',
    });
    expect(accrued.statusCode, accrued.body).toBe(200);

    const all = await owner.request('GET', '/api/v1/audit-log?pageSize=100');
    expect(all.statusCode, all.body).toBe(200);
    const page = all.json<{ items: Entry[]; total: number }>();
    expect(page.total).toBeGreaterThanOrEqual(3);
    // Newest first: the points change, then the store's rename.
    const storeEntries = page.items.filter((e) => e.entityId === storeId);
    expect(storeEntries.length).toBeGreaterThanOrEqual(2);
    const rename = storeEntries[0];
    expect(rename).toMatchObject({ actorType: 'user', actorId: owner.userId });
    expect(JSON.stringify(rename?.before)).toContain('Магазин 1');
    expect(JSON.stringify(rename?.after)).toContain('Магазин на Мира');
    expect(page.items.findIndex((e) => e.entityId === buyerId)).toBeLessThan(
      page.items.indexOf(rename as Entry),
    );

    const onlyStore = await owner.request('GET', `/api/v1/audit-log?entity=store&entityId=${storeId}`);
    const filtered = onlyStore.json<{ items: Entry[]; total: number }>();
    expect(filtered.total).toBe(storeEntries.length);
    expect(filtered.items.every((e) => e.entity === 'store' && e.entityId === storeId)).toBe(true);
    const future = await owner.request(
      'GET',
      `/api/v1/audit-log?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(future.json<{ total: number }>().total).toBe(0);

    const manager = await t.signIn('manager', owner.merchantId);
    expect((await manager.request('GET', '/api/v1/audit-log')).statusCode).toBe(403);
    const stranger = await t.signIn('owner');
    expect((await stranger.request('GET', '/api/v1/audit-log')).json<{ total: number }>().total).toBe(0);
    expect((await owner.request('GET', '/api/v1/audit-log?actorType=robot')).statusCode).toBe(400);
  });
});

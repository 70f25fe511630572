// The `buyers` stream honours the merchant's `terminalBuyerScope` (SYNC.md "Pull"): 'city' sends
// the buyers registered or last seen in a store of the terminal's city and deletes the others;
// switching the setting starts the stream over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { pairedTerminal, shop, type TerminalClient } from './sync.test-helper.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Page = { items: Array<{ id: string }>; deleted: string[]; cursor: string; hasMore: boolean };

async function pullAll(terminal: TerminalClient, cursor?: string) {
  const live = new Set<string>();
  const deleted = new Set<string>();
  let at = cursor;
  for (;;) {
    const query = at ? `&cursor=${encodeURIComponent(at)}` : '';
    const response = await terminal.request('GET', `/api/v1/sync/pull?stream=buyers&limit=2${query}`);
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json<Page>();
    for (const item of page.items) {
      live.add(item.id);
      deleted.delete(item.id);
    }
    for (const id of page.deleted) {
      deleted.add(id);
      live.delete(id);
    }
    at = page.cursor;
    if (!page.hasMore) return { live, deleted, cursor: at };
  }
}

describe('terminalBuyerScope', () => {
  it('sends the city’s buyers only, and everyone again when switched back', async () => {
    const s = await shop(t); // its store is in Казань
    const other = await s.owner.request('POST', '/api/v1/stores', {
      name: 'Магазин 2',
      address: 'пр. Мира, 5',
      attributes: { city: 'Самара' },
    });
    expect(other.statusCode, other.body).toBe(201);
    const otherStoreId = other.json<{ id: string }>().id;
    const secondKazan = await s.owner.request('POST', '/api/v1/stores', {
      name: 'Магазин 3',
      address: 'ул. Баумана, 3',
      attributes: { city: ' казань ' },
    });
    const kazanStore2 = secondKazan.json<{ id: string }>().id;
    const ids: Record<string, string> = {};
    for (const [name, phone] of [
      ['here', '+79001240001'],
      ['sameCity', '+79001240002'],
      ['elsewhere', '+79001240003'],
      ['visited', '+79001240004'],
    ] as const) {
      const r = await s.owner.request('POST', '/api/v1/buyers', { phone });
      expect(r.statusCode, r.body).toBe(201);
      ids[name] = r.json<{ id: string }>().id;
    }
    // Where each buyer registered or was last seen (set directly: the purchase path sets them too).
    const place = async (id: string | undefined, registration: string | null, last: string | null) =>
      t.db
        .updateTable('buyers')
        .set({ registration_store_id: registration, last_store_id: last })
        .where('id', '=', id ?? '')
        .execute();
    await place(ids.here, s.storeId, null);
    await place(ids.sameCity, kazanStore2, null);
    await place(ids.elsewhere, otherStoreId, otherStoreId);
    await place(ids.visited, otherStoreId, s.storeId);

    const terminal = await pairedTerminal(t, s);
    const merchantWide = await pullAll(terminal);
    expect(merchantWide.live.size).toBe(4);

    const settings = await s.owner.request('GET', '/api/v1/programme');
    expect(settings.statusCode, settings.body).toBe(200);
    const body = settings.json<{ settings: Record<string, unknown> }>().settings;
    const put = await s.owner.request('PUT', '/api/v1/programme/settings', {
      ...body,
      terminalBuyerScope: 'city',
    });
    expect(put.statusCode, put.body).toBe(200);
    // The old cursor belongs to the merchant scope: the stream starts over in the city scope.
    const city = await pullAll(terminal, merchantWide.cursor);
    expect([...city.live].sort()).toEqual([ids.here, ids.sameCity, ids.visited].sort());
    expect([...city.deleted]).toEqual([ids.elsewhere]);
    // Seen in Самара only from now on: the change of the buyer moves them out of the scope.
    await place(ids.visited, otherStoreId, otherStoreId);
    const moved = await pullAll(terminal, city.cursor);
    expect([...moved.deleted]).toEqual([ids.visited]);
    // The lookup still finds anyone of the merchant.
    const lookup = await terminal.request('GET', `/api/v1/sync/buyers/lookup?buyerId=${ids.elsewhere}`);
    expect(lookup.statusCode).toBe(200);

    await s.owner.request('PUT', '/api/v1/programme/settings', { ...body, terminalBuyerScope: 'merchant' });
    const back = await pullAll(terminal, moved.cursor);
    expect(back.live.size).toBe(4);
  });
});

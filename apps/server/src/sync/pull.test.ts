// Pull (B2): every stream paged with tombstones, the safe watermark under an open concurrent
// transaction, and SSE pokes after a change made through the API.
import { request as httpRequest } from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { freePort } from '../../test/free-port.ts';
import { pairedTerminal, shop, type TerminalClient } from './sync.test-helper.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Page = {
  items: Array<{ id: string }>;
  deleted: string[];
  cursor: string;
  hasMore: boolean;
  appliedSeq: number;
};

/** Pulls a stream to its end in pages of `limit`, applying pages as a terminal would. */
async function pullAll(terminal: TerminalClient, stream: string, limit: number, from?: string) {
  const live = new Map<string, unknown>();
  const deleted = new Set<string>();
  let cursor = from;
  let pages = 0;
  for (;;) {
    const response = await terminal.request(
      'GET',
      `/api/v1/sync/pull?stream=${stream}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json<Page>();
    pages++;
    for (const item of page.items) {
      live.set(item.id, item);
      deleted.delete(item.id);
    }
    for (const id of page.deleted) {
      live.delete(id);
      deleted.add(id);
    }
    cursor = page.cursor;
    if (!page.hasMore) return { live, deleted, cursor, pages };
  }
}

describe('pull streams (B2)', () => {
  it('pages products, cashiers and buyers with tombstones for archived, blocked and erased rows', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const products: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await s.owner.request('POST', '/api/v1/products', {
        sku: `SKU-${i}`,
        name: `Товар ${i}`,
        price: 100_00 + i,
      });
      expect(r.statusCode, r.body).toBe(201);
      products.push(r.json<{ id: string }>().id);
    }
    const cashiers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await s.owner.request('POST', '/api/v1/cashiers', {
        name: `Кассир ${i}`,
        storeId: s.storeId,
      });
      expect(r.statusCode, r.body).toBe(201);
      cashiers.push(r.json<{ id: string }>().id);
    }
    const buyers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await s.owner.request('POST', '/api/v1/buyers', {
        phone: `+7900111220${i}`,
        firstName: `Имя${i}`,
      });
      expect(r.statusCode, r.body).toBe(201);
      buyers.push(r.json<{ id: string }>().id);
    }

    const first = await pullAll(terminal, 'products', 3);
    expect(first.pages).toBeGreaterThanOrEqual(3);
    expect([...first.live.keys()].sort()).toEqual([...products].sort());
    expect(first.live.get(products[0]!)).toMatchObject({
      sku: 'SKU-0',
      price: 100_00,
      unit: 'piece',
      barcodes: [],
    });

    // Archive one, change another: the next pull from the stored cursor has exactly that.
    expect((await s.owner.request('DELETE', `/api/v1/products/${products[1]}`)).statusCode).toBeLessThan(300);
    expect(
      (await s.owner.request('PATCH', `/api/v1/products/${products[2]}`, { price: 555_00 })).statusCode,
    ).toBe(200);
    const next = await pullAll(terminal, 'products', 3, first.cursor);
    expect([...next.deleted]).toEqual([products[1]]);
    expect([...next.live.keys()]).toEqual([products[2]]);
    expect(next.live.get(products[2]!)).toMatchObject({ price: 555_00 });
    const idle = await pullAll(terminal, 'products', 3, next.cursor);
    expect(idle.live.size + idle.deleted.size).toBe(0);

    const c1 = await pullAll(terminal, 'cashiers', 2);
    expect(c1.live.size).toBe(3);
    expect(c1.live.get(cashiers[0]!)).toMatchObject({ storeIds: [s.storeId], role: 'cashier' });
    expect((c1.live.get(cashiers[0]!) as { codeHash: string }).codeHash).toMatch(/^\$argon2id\$/);
    expect((await s.owner.request('DELETE', `/api/v1/cashiers/${cashiers[0]}`)).statusCode).toBeLessThan(300);
    const c2 = await pullAll(terminal, 'cashiers', 2, c1.cursor);
    expect([...c2.deleted]).toEqual([cashiers[0]]);

    const b1 = await pullAll(terminal, 'buyers', 2);
    expect(b1.live.size).toBe(5);
    expect(b1.live.get(buyers[0]!)).toMatchObject({
      phone: '+79001112200',
      firstName: 'Имя0',
      balance: 0,
      lots: [],
    });
    expect((await s.owner.request('DELETE', `/api/v1/buyers/${buyers[0]}`)).statusCode).toBeLessThan(300);
    const b2 = await pullAll(terminal, 'buyers', 2, b1.cursor);
    expect([...b2.deleted]).toEqual([buyers[0]]);

    // A category deleted for good leaves a tombstone that moves the rules stream.
    const rules1 = await pullAll(terminal, 'rules', 10);
    expect(rules1.live.get('rules')).toMatchObject({ id: 'rules' });
    const category = await s.owner.request('POST', '/api/v1/categories', { name: 'Молоко' });
    const r2 = await pullAll(terminal, 'rules', 10, rules1.cursor);
    expect(r2.live.size).toBe(1);
    expect(
      (await s.owner.request('DELETE', `/api/v1/categories/${category.json<{ id: string }>().id}`))
        .statusCode,
    ).toBeLessThan(300);
    const r3 = await pullAll(terminal, 'rules', 10, r2.cursor);
    expect(r3.live.size).toBe(1);
    expect((await pullAll(terminal, 'rules', 10, r3.cursor)).live.size).toBe(0);

    const settings = await pullAll(terminal, 'settings', 10);
    expect(settings.live.get(s.owner.merchantId)).toMatchObject({
      store: { id: s.storeId, city: 'Казань' },
      offlineLimits: { maxClockSkewMinutes: 5 },
    });
  });

  it('never hands out a cursor past a row of a transaction still open', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const start = await pullAll(terminal, 'products', 100);

    // Transaction A takes its id first and writes a product, but commits last.
    let releaseA!: () => void;
    const aMayCommit = new Promise<void>((resolve) => (releaseA = resolve));
    let aWrote!: () => void;
    const aHasWritten = new Promise<void>((resolve) => (aWrote = resolve));
    const a = t.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO products (merchant_id, sku, name, price) VALUES (${s.owner.merchantId}, 'A', 'Из A', 100)`.execute(
        trx,
      );
      aWrote();
      await aMayCommit;
    });
    await aHasWritten;
    // Transaction B starts later and commits at once.
    const b = await s.owner.request('POST', '/api/v1/products', { sku: 'B', name: 'Из B', price: 200 });
    expect(b.statusCode).toBe(201);

    // B is committed but above the watermark (A is still running below it): nothing is handed
    // out, and the cursor does not move past A.
    const during = await pullAll(terminal, 'products', 100, start.cursor);
    expect(during.live.size).toBe(0);
    expect(during.cursor).toBe(start.cursor);

    releaseA();
    await a;
    const after = await pullAll(terminal, 'products', 100, during.cursor);
    expect([...after.live.values()].map((p) => (p as { sku: string }).sku).sort()).toEqual(['A', 'B']);
  });

  it('pokes an online terminal over SSE after a change through the API', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const port = await freePort();
    await t.app.listen({ port, host: '127.0.0.1' });
    const events: string[] = [];
    let subscribed!: () => void;
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    let poked!: (data: string) => void;
    const poke = new Promise<string>((resolve) => (poked = resolve));
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/sync/events',
        headers: { authorization: `Bearer ${terminal.token}` },
      },
      (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/event-stream');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          events.push(chunk);
          if (chunk.includes(': subscribed')) subscribed();
          const match = /event: poke\ndata: (.*)\n/.exec(chunk);
          if (match?.[1]) poked(match[1]);
        });
      },
    );
    req.end();
    await ready;
    const product = await s.owner.request('POST', '/api/v1/products', {
      sku: 'SSE',
      name: 'Новинка',
      price: 100,
    });
    expect(product.statusCode).toBe(201);
    const data = JSON.parse(await poke) as { streams: string[] };
    expect(data.streams).toContain('products');
    req.destroy();

    // A revoked terminal cannot subscribe.
    await s.owner.request('POST', `/api/v1/terminals/${terminal.id}/revoke`);
    const refused = await terminal.request('GET', '/api/v1/sync/events');
    expect(refused.statusCode).toBe(401);
  });

  it('looks up one buyer by phone, card or id, scoped to the merchant', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const buyer = await s.owner.request('POST', '/api/v1/buyers', { phone: '+79005553311' });
    const id = buyer.json<{ id: string }>().id;
    const byPhone = await terminal.request('GET', '/api/v1/sync/buyers/lookup?phone=8%20900%20555-33-11');
    expect(byPhone.statusCode).toBe(200);
    expect(byPhone.json()).toMatchObject({ buyer: { id }, appliedSeq: 0 });
    expect((await terminal.request('GET', `/api/v1/sync/buyers/lookup?buyerId=${id}`)).statusCode).toBe(200);
    const other = await shop(t);
    const foreign = await pairedTerminal(t, other);
    expect((await foreign.request('GET', `/api/v1/sync/buyers/lookup?buyerId=${id}`)).statusCode).toBe(404);
    expect((await terminal.request('GET', '/api/v1/sync/buyers/lookup')).statusCode).toBe(400);
  });
});

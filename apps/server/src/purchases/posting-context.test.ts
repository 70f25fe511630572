// The grouped read of online confirms (issue 3, B4) on a real PostgreSQL: reads made in one turn
// share one statement and answer each confirm exactly what its own read (readPostingContext)
// answers: the buyer found by id, phone or active card, an erased or unknown buyer not found,
// points reserved by other holds, the sale's own hold, the referrer chain (C8) and the catalogue
// rows of that receipt's products only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import {
  readPostingContext,
  readPostingContextInGroup,
  type BuyerKey,
  type PostingReadOptions,
} from './posting-context.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('readPostingContextInGroup', () => {
  it('answers every confirm of a turn what its own read answers', async () => {
    const owner = await t.signIn('owner');
    const m = owner.merchantId;
    const buyer = (values: { phone?: string; referrer_id?: string; erased_at?: Date }) =>
      t.db
        .insertInto('buyers')
        .values({ merchant_id: m, channel: 'api', ...values })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then((row) => row.id);
    const phone = `+7916${String(Date.now()).slice(-7)}`;
    const a = await buyer({ phone });
    const b = await buyer({});
    const c = await buyer({ referrer_id: a });
    const erased = await buyer({ erased_at: new Date() });
    const accrued = await owner.request('POST', `/api/v1/buyers/${a}/points`, {
      operation: 'accrue',
      points: 50_000,
      reason: 'тест',
    });
    expect(accrued.statusCode, accrued.body).toBe(200);
    const card = String(Date.now()).slice(-12);
    await t.db
      .insertInto('cards')
      .values({ merchant_id: m, number: card, buyer_id: b, status: 'active' })
      .execute();
    const blocked = `${card.slice(0, -1)}${(Number(card.at(-1)) + 1) % 10}`;
    await t.db
      .insertInto('cards')
      .values({ merchant_id: m, number: blocked, buyer_id: c, status: 'blocked', block_reason: 'потеряна' })
      .execute();
    const in1h = new Date(Date.now() + 3_600_000);
    const holds = await t.db
      .insertInto('point_holds')
      .values([
        { merchant_id: m, buyer_id: a, points: 7_000, expires_at: in1h },
        { merchant_id: m, buyer_id: a, points: 3_000, expires_at: in1h },
      ])
      .returning('id')
      .execute();
    const products = await t.db
      .insertInto('products')
      .values([
        { merchant_id: m, sku: 'milk', name: 'Молоко', price: 10_000 },
        { merchant_id: m, sku: 'bread', name: 'Хлеб', price: 5_000, no_accrual: true },
      ])
      .returning(['id', 'sku'])
      .execute();
    const bread = products.find((p) => p.sku === 'bread')?.id ?? '';

    const options = (productKeys: string[], holdId: string | null = null): PostingReadOptions => ({
      now: new Date(),
      holdId,
      productKeys,
      defaultCardTypeId: randomUUID(),
      referralMode: 'anyone',
    });
    const reads: Array<[BuyerKey | null, PostingReadOptions]> = [
      [{ phone }, options(['milk'], holds[0]?.id ?? null)],
      [{ buyerId: b }, options([bread.toUpperCase()])],
      [{ cardNumber: card }, options(['milk', bread])],
      [{ buyerId: c }, options(['no-such-sku'])],
      [{ cardNumber: blocked }, options([])],
      [{ buyerId: erased }, options(['milk'])],
      [{ phone: '+79990000000' }, options(['milk'])],
      [null, options(['bread', 'milk'])],
    ];
    const grouped = await Promise.all(reads.map(([key, o]) => readPostingContextInGroup(t.db, m, key, o)));
    const alone = [];
    for (const [key, o] of reads) alone.push(await readPostingContext(t.db, m, key, o));
    const sortProducts = <T extends { products: Array<{ id: string }> }>(x: T) => ({
      ...x,
      products: [...x.products].sort((p, q) => p.id.localeCompare(q.id)),
    });
    expect(grouped.map(sortProducts)).toEqual(alone.map(sortProducts));

    // What the reads found, so the comparison above cannot pass on two empty answers.
    const [byPhone, byId, byCard, referred, blockedCard, erasedRead, unknown, anonymous] = grouped;
    expect(byPhone?.row?.id).toBe(a);
    expect(byPhone?.holdLive).toBe(true);
    expect(byPhone?.buyer?.reserved).toBe(3_000);
    expect(byPhone?.buyer?.lots.reduce((sum, lot) => sum + lot.remaining, 0)).toBe(50_000);
    expect(byPhone?.products.map((p) => p.sku)).toEqual(['milk']);
    expect(byId?.row?.id).toBe(b);
    expect(byId?.products.map((p) => p.id)).toEqual([bread]);
    expect(byCard?.row?.id).toBe(b);
    expect(byCard?.holdLive).toBe(false);
    expect(byCard?.products).toHaveLength(2);
    expect(referred?.buyer?.referrers).toEqual([expect.objectContaining({ buyerId: a, level: 1 })]);
    expect(referred?.products).toEqual([]);
    expect(blockedCard?.row).toBeNull();
    expect(erasedRead?.row).toBeNull();
    expect(unknown?.row).toBeNull();
    expect(anonymous?.row).toBeNull();
    expect(anonymous?.products).toHaveLength(2);
  });
});

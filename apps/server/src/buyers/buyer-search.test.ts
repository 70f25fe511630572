// D1 at scale: the query shapes that keep GET /buyers fast on a million buyers (trigram search,
// index-ordered pages with empty values last, capped totals) must answer exactly what the plain
// definitions say. Figures from the 1,000,000-buyer data are in apps/server/README.md.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUYER_TOTAL_CAP, buyerListQuerySchema } from '@loyalty/protocol/api/buyers.schema';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { buyerConditions } from './buyer-filters.ts';
import { merchantClock } from './buyers.repository.ts';

const DAY = 86_400_000;
let t: TestApp;
let owner: Session;
/** Buyers by name, for readable expectations. */
const id: Record<string, string> = {};

type Page = { items: Array<{ id: string; lastName: string | null }>; total: number; totalExact: boolean };

async function list(query: string): Promise<Page> {
  const res = await owner.request('GET', `/api/v1/buyers?${query}`);
  if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode} ${res.body}`);
  return res.json<Page>();
}

const names = async (query: string) => {
  const byId = new Map(Object.entries(id).map(([name, value]) => [value, name]));
  return (await list(query)).items.map((b) => byId.get(b.id) ?? `unexpected ${b.id}`);
};

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
  const now = Date.now();
  const people: Array<{
    key: string;
    last: string | null;
    first: string | null;
    email?: string;
    phone?: string;
    lastPurchaseDaysAgo: number | null;
  }> = [
    { key: 'ivanov', last: 'Иванов', first: 'Иван', email: 'ivan@example.com', lastPurchaseDaysAgo: 1 },
    { key: 'ezhov', last: 'Ежов', first: 'Пётр', lastPurchaseDaysAgo: 3 },
    { key: 'yozhikov', last: 'Ёжиков', first: 'Олег', lastPurchaseDaysAgo: 200 },
    { key: 'shchukin', last: 'Щукин', first: 'Семён', lastPurchaseDaysAgo: null },
    { key: 'shukin', last: 'Шукин', first: 'Анна', phone: '+79161234567', lastPurchaseDaysAgo: 40 },
    { key: 'percent', last: 'Сто%Процентов', first: null, lastPurchaseDaysAgo: null },
    { key: 'nameless', last: null, first: null, email: 'NOBODY@Example.com', lastPurchaseDaysAgo: 5 },
  ];
  for (const [i, p] of people.entries()) {
    const row = await t.db
      .insertInto('buyers')
      .values({
        merchant_id: owner.merchantId,
        channel: 'api',
        last_name: p.last,
        first_name: p.first,
        email: p.email ?? null,
        phone: p.phone ?? `+7900000000${i}`,
        registered_at: new Date(now - (300 + i) * DAY),
        last_purchase_at: p.lastPurchaseDaysAgo === null ? null : new Date(now - p.lastPurchaseDaysAgo * DAY),
        purchases_count: p.lastPurchaseDaysAgo === null ? 0 : 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id[p.key] = row.id;
  }
});
afterAll(async () => {
  await t.close();
});

describe('search through the trigram index', () => {
  const search = (text: string, extra = '') =>
    names(`search=${encodeURIComponent(text)}&sort=lastName&order=asc${extra}`);

  it('ignores case, Cyrillic included, and matches across last and first name', async () => {
    expect(await search('иванов')).toEqual(['ivanov']);
    expect(await search('ИВАНОВ ИВАН')).toEqual(['ivanov']);
    expect(await search('нов Ив')).toEqual(['ivanov']);
    expect(await search('example.COM')).toEqual(['ivanov', 'nameless']);
  });

  it('never returns what only the folded index text matches (ё/е, щ/ш)', async () => {
    expect(await search('ежов')).toEqual(['ezhov']);
    expect(await search('ёж')).toEqual(['yozhikov']);
    expect(await search('щук')).toEqual(['shchukin']);
    expect(await search('шук')).toEqual(['shukin']);
  });

  it('takes LIKE wildcards literally', async () => {
    expect(await search('%')).toEqual(['percent']);
    expect(await search('о%п')).toEqual(['percent']);
    expect(await search('_')).toEqual([]);
  });

  it('finds phones by digits anywhere, also in the search box', async () => {
    expect(await names('phone=1234567')).toEqual(['shukin']);
    expect(await search('9161234')).toEqual(['shukin']);
  });

  it('sorts the matches when the filter looks into the sort column, in both directions', async () => {
    expect(await names(`lastName=${encodeURIComponent('ук')}&sort=lastName&order=asc`)).toEqual([
      'shukin',
      'shchukin',
    ]);
    expect(await names(`lastName=${encodeURIComponent('ук')}&sort=lastName&order=desc`)).toEqual([
      'shchukin',
      'shukin',
    ]);
    // Cyrillic "о" only: not "ё" (Семён), not the Latin "o" of NOBODY; no first name sorts last.
    expect(await names(`search=${encodeURIComponent('о')}&sort=firstName&order=asc`)).toEqual([
      'ivanov',
      'yozhikov',
      'ezhov',
      'percent',
    ]);
  });

  it('reaches the index with exactly the expression the migration indexed', async () => {
    const context = await merchantClock(t.db, owner.merchantId, new Date());
    const plan = async (query: Record<string, string>) => {
      const filters = buyerListQuerySchema.parse(query);
      // The filter's own conditions, without the merchant's (whose btree index would do here).
      const compiled = t.db
        .selectFrom('buyers')
        .select('buyers.id')
        .where((eb) => eb.and(buyerConditions(eb, filters, context).slice(2)))
        .compile();
      return t.db.transaction().execute(async (trx) => {
        // A handful of rows would always be read in full; forbid that to see what the index serves.
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>({
          ...compiled,
          sql: `EXPLAIN ${compiled.sql}`,
        });
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    };
    expect(await plan({ lastName: 'Иванов' })).toContain('buyers_search_trgm_idx');
    expect(await plan({ search: 'Иванов' })).toContain('buyers_search_trgm_idx');
    // Names, phone and cards each through an index, OR-ed as bitmaps (the cards looked up once).
    expect(await plan({ search: '1234567' })).toMatch(
      /BitmapOr[\s\S]*buyers_search_trgm_idx[\s\S]*buyers_pkey/,
    );
  });
});

describe('pages in index order, empty values last', () => {
  const everyPage = async (query: string) => {
    const all: string[] = [];
    for (let page = 1; page <= 4; page++) {
      all.push(...(await names(`${query}&pageSize=2&page=${page}`)));
    }
    return all;
  };

  it('last purchase, newest first, then the buyers who never bought (by id, same order)', async () => {
    const never = [id.shchukin ?? '', id.percent ?? ''].sort().reverse();
    const neverNames = never.map((v) => Object.entries(id).find(([, x]) => x === v)?.[0]);
    const expected = ['ivanov', 'ezhov', 'nameless', 'shukin', 'yozhikov', ...neverNames];
    expect(await names('sort=lastPurchaseAt&order=desc')).toEqual(expected);
    // Pages of two cross from the filled values to the empty ones in the middle of page 3.
    expect(await everyPage('sort=lastPurchaseAt&order=desc')).toEqual(expected);
  });

  it('last purchase, oldest first, the buyers who never bought still last', async () => {
    const asc = await everyPage('sort=lastPurchaseAt&order=asc');
    expect(asc.slice(0, 5)).toEqual(['yozhikov', 'shukin', 'nameless', 'ezhov', 'ivanov']);
    expect(asc.slice(5).sort()).toEqual(['percent', 'shchukin']);
  });

  it('days without purchase gives the same buyers whatever the sort', async () => {
    const plain = (await names('daysWithoutPurchaseFrom=30')).sort();
    const sorted = await names('daysWithoutPurchaseFrom=30&sort=lastPurchaseAt&order=desc');
    // Never bought: counted from registration, 300+ days ago, so they qualify and come last.
    expect(sorted.slice(0, 2)).toEqual(['shukin', 'yozhikov']);
    expect([...sorted].sort()).toEqual(plain);
    expect(await names('daysWithoutPurchaseTo=4&sort=lastPurchaseAt&order=asc')).toEqual(['ezhov', 'ivanov']);
  });
});

describe('totals', () => {
  it('counts exactly up to the cap, then answers the cap with totalExact false unless asked', async () => {
    const other = await t.signIn('owner');
    const small = await other.request('GET', '/api/v1/buyers');
    expect(small.json()).toMatchObject({ total: 0, totalExact: true });
    await sql`
      INSERT INTO buyers (merchant_id, channel, phone)
      SELECT ${other.merchantId}, 'import', '+7950' || lpad(g::text, 7, '0')
      FROM generate_series(1, ${BUYER_TOTAL_CAP + 5}) g`.execute(t.db);
    const capped = (await other.request('GET', '/api/v1/buyers?pageSize=1')).json<Page>();
    expect(capped).toMatchObject({ total: BUYER_TOTAL_CAP, totalExact: false });
    expect(capped.items).toHaveLength(1);
    const exact = (await other.request('GET', '/api/v1/buyers?pageSize=1&exactTotal=true')).json<Page>();
    expect(exact).toMatchObject({ total: BUYER_TOTAL_CAP + 5, totalExact: true });
    const narrow = (await other.request('GET', '/api/v1/buyers?phone=9500010000')).json<Page>();
    expect(narrow).toMatchObject({ total: 1, totalExact: true });
  });
});

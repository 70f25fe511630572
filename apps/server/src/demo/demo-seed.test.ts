// The demo merchant on a real PostgreSQL, seeded small: the ledger invariant for every buyer and
// lot, buyer stats that follow from their receipts, logins and cashier codes that work, valid
// barcodes and phones, receipts over the past year that the live purchase flow can return, the
// same merchant from the same seed, a bulk load that cannot break a foreign key, and a second
// seed that does nothing.
import type { FastifyInstance } from 'fastify';
import { sql, type RawBuilder } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#app.ts';
import { verifySecret } from '#auth/secrets.ts';
import { normalizePhone } from '@loyalty/core/phones/phone-number';
import { accessCodeLookup } from '#cashiers/access-code.ts';
import { ledgerSides } from '#ledger/ledger.service.ts';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { checkForeignKeys, suspendRowTriggers } from './bulk-load.ts';
import { generateCatalogue } from './demo-catalogue.ts';
import { SILVER_THRESHOLD } from './demo-programme.ts';
import { seedDemoIfEmpty, type DemoInfo } from './demo-seed.ts';
import { DEMO_CASHIERS, DEMO_USERS } from './demo-staff.ts';
import { isValidEan13 } from './ean13.ts';
import { SeededRandom } from './seeded-random.ts';

const DAY = 86_400_000;
const SIZES = { buyers: 200, receipts: 2_000 };
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

let database: TestDatabase;
let app: FastifyInstance;
let info: DemoInfo;
let merchantId: string;
const now = new Date();

beforeAll(async () => {
  database = await createTestDatabase();
  const seeded = await seedDemoIfEmpty(database.db, logger, { sizes: SIZES, now });
  if (!seeded?.created) throw new Error('the demo was not created on an empty database');
  info = seeded;
  merchantId = seeded.created.merchantId;
  app = await buildApp({ db: database.db, logger });
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const rows = async <T>(query: RawBuilder<T>): Promise<T[]> => (await query.execute(database.db)).rows;

describe('demo seed', () => {
  it('creates the sizes asked for, with the whole programme', async () => {
    const [counts] = await rows(sql<Record<string, number>>`
      SELECT
        (SELECT count(*) FROM buyers)::int AS buyers,
        (SELECT count(*) FROM receipts)::int AS receipts,
        (SELECT count(*) FROM receipts WHERE buyer_id IS NULL)::int AS anonymous,
        (SELECT count(*) FROM receipts WHERE points_paid > 0)::int AS paid_with_points,
        (SELECT count(*) FROM stores)::int AS stores,
        (SELECT count(*) FROM cashiers)::int AS cashiers,
        (SELECT count(*) FROM categories WHERE parent_id IS NULL)::int AS roots,
        (SELECT count(*) FROM categories WHERE parent_id IS NOT NULL)::int AS leaves,
        (SELECT count(*) FROM products)::int AS products,
        (SELECT count(*) FROM card_types)::int AS card_types,
        (SELECT count(*) FROM promotions)::int AS promotions,
        (SELECT count(*) FROM coupon_codes)::int AS coupon_codes,
        (SELECT count(*) FROM cards WHERE buyer_id IS NOT NULL)::int AS cards,
        (SELECT count(DISTINCT buyer_id) FROM buyer_consents WHERE granted)::int AS consenting,
        (SELECT count(*) FROM buyers WHERE referrer_id IS NOT NULL)::int AS referred,
        (SELECT count(*) FROM ledger_entries WHERE kind = 'expiry')::int AS expiries`);
    expect(counts).toMatchObject({ buyers: 200, receipts: 2000, stores: 3, cashiers: 8, card_types: 2 });
    expect(counts?.anonymous).toBeGreaterThan(100);
    expect(counts?.paid_with_points).toBeGreaterThan(20);
    expect(counts?.roots).toBeGreaterThanOrEqual(10);
    expect(counts?.leaves).toBeGreaterThanOrEqual(50);
    expect(counts?.products).toBe(1000);
    expect(counts?.promotions).toBeGreaterThanOrEqual(4);
    expect(counts?.coupon_codes).toBe(1001);
    expect(counts?.cards).toBeGreaterThan(90);
    expect(counts?.cards).toBeLessThan(150);
    expect(counts?.consenting).toBeGreaterThan(150);
    expect(counts?.referred).toBeGreaterThan(0);
    expect(counts?.expiries).toBeGreaterThan(0);
  });

  it('keeps the ledger invariant for every buyer and every lot', async () => {
    const [buyers] = await rows(sql<{ total: number; broken: number; positive: number }>`
      SELECT count(*)::int AS total,
        count(*) FILTER (WHERE b.balance <> coalesce(e.points, 0)
          OR b.balance <> coalesce(l.remaining, 0) - b.debt)::int AS broken,
        count(*) FILTER (WHERE b.balance > 0)::int AS positive
      FROM buyers b
      LEFT JOIN (SELECT buyer_id, sum(points) AS points FROM ledger_entries GROUP BY buyer_id) e
        ON e.buyer_id = b.id
      LEFT JOIN (SELECT buyer_id, sum(remaining) AS remaining FROM point_lots GROUP BY buyer_id) l
        ON l.buyer_id = b.id
      WHERE b.merchant_id = ${merchantId}`);
    expect(buyers).toMatchObject({ total: 200, broken: 0 });
    expect(buyers?.positive).toBeGreaterThan(100);
    // Each lot: what it got, less what receipts took and expiry burned, is what it holds.
    const [lots] = await rows(sql<{ broken: number; expired_with_points: number }>`
      SELECT
        count(*) FILTER (WHERE l.initial - coalesce(c.taken, 0) + coalesce(x.burned, 0) <> l.remaining)::int
          AS broken,
        count(*) FILTER (WHERE l.expires_at <= ${now} AND l.remaining > 0)::int AS expired_with_points
      FROM point_lots l
      LEFT JOIN (SELECT lot_id, sum(points - restored) AS taken FROM lot_consumptions GROUP BY lot_id) c
        ON c.lot_id = l.id
      LEFT JOIN (SELECT lot_id, sum(points) AS burned FROM ledger_entries WHERE kind = 'expiry' GROUP BY lot_id) x
        ON x.lot_id = l.id`);
    expect(lots).toEqual({ broken: 0, expired_with_points: 0 });
    // A redemption's consumptions are booked under the receipt, as the purchase flow books them.
    const [redemptions] = await rows(sql<{ broken: number }>`
      SELECT count(*)::int AS broken FROM receipts r
      LEFT JOIN (SELECT operation_id, sum(points) AS points FROM lot_consumptions GROUP BY operation_id) c
        ON c.operation_id = r.id
      WHERE r.points_paid > 0 AND coalesce(c.points, 0) <> r.points_paid`);
    expect(redemptions?.broken).toBe(0);
  });

  it('derives every buyer counter and card type from the receipts', async () => {
    const [stats] = await rows(sql<{ broken: number; silver: number; buying: number }>`
      WITH agg AS (
        SELECT buyer_id, count(*) AS n, sum(amount - discount) AS total, max(created_at) AS last_at,
          (array_agg(store_id ORDER BY created_at DESC))[1] AS last_store
        FROM receipts WHERE buyer_id IS NOT NULL GROUP BY buyer_id
      )
      SELECT
        count(*) FILTER (WHERE b.purchases_count <> coalesce(a.n, 0)
          OR b.purchases_total <> coalesce(a.total, 0)
          OR b.last_purchase_at IS DISTINCT FROM a.last_at
          OR b.last_store_id IS DISTINCT FROM a.last_store
          OR b.card_type_id <> (CASE WHEN coalesce(a.total, 0) >= ${SILVER_THRESHOLD}
            THEN silver.id ELSE standard.id END))::int AS broken,
        count(*) FILTER (WHERE b.card_type_id = silver.id)::int AS silver,
        count(*) FILTER (WHERE a.n > 0)::int AS buying
      FROM buyers b
      LEFT JOIN agg a ON a.buyer_id = b.id
      CROSS JOIN (SELECT id FROM card_types WHERE name = 'Серебряная') silver
      CROSS JOIN (SELECT id FROM card_types WHERE name = 'Стандартная') standard`);
    expect(stats?.broken).toBe(0);
    expect(stats?.buying).toBeGreaterThan(120);
    // Receipts add up: lines to totals, money plus points to the price, points at most half of it.
    const [receipts] = await rows(sql<{ broken: number }>`
      SELECT count(*)::int AS broken FROM receipts r
      JOIN (SELECT receipt_id, sum(amount) AS amount, sum(paid_money) AS paid FROM receipt_lines GROUP BY 1) l
        ON l.receipt_id = r.id
      WHERE l.amount <> r.amount OR l.paid <> r.paid_money
        OR r.amount - r.discount <> r.points_paid + r.paid_money
        OR r.points_paid * 2 > r.amount - r.discount`);
    expect(receipts?.broken).toBe(0);
  });

  it('spreads receipts over the past year', async () => {
    const [span] = await rows(sql<{ first: Date; last: Date }>`
      SELECT min(created_at) AS first, max(created_at) AS last FROM receipts`);
    expect(span?.first.getTime()).toBeGreaterThanOrEqual(now.getTime() - 365 * DAY);
    expect(span?.first.getTime()).toBeLessThan(now.getTime() - 330 * DAY);
    expect(span?.last.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(span?.last.getTime()).toBeGreaterThan(now.getTime() - 7 * DAY);
  });

  it('gives every receipt a cashier of its store, each cashier taking shifts (issue 6)', async () => {
    const [check] = await rows(sql<{ without: number; elsewhere: number; cashiers: number; active: number }>`
      SELECT count(*) FILTER (WHERE r.cashier_id IS NULL)::int AS without,
             count(*) FILTER (WHERE c.store_id IS DISTINCT FROM r.store_id)::int AS elsewhere,
             count(DISTINCT r.cashier_id)::int AS cashiers,
             (SELECT count(*) FROM cashiers WHERE archived_at IS NULL)::int AS active
      FROM receipts r LEFT JOIN cashiers c ON c.id = r.cashier_id`);
    expect(check).toMatchObject({ without: 0, elsewhere: 0 });
    expect(check?.cashiers).toBe(check?.active);
  });

  it('gives products valid, unique EAN-13 barcodes', async () => {
    const products = await database.db.selectFrom('products').select('barcodes').execute();
    const codes = products.flatMap((p) => p.barcodes);
    expect(codes.length).toBe(products.length);
    expect(codes.filter((c) => !isValidEan13(c))).toEqual([]);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('gives buyers valid mobile numbers in E.164', async () => {
    const buyers = await database.db.selectFrom('buyers').select('phone').execute();
    const phones = buyers.map((b) => b.phone ?? '');
    expect(
      phones.filter((p) => {
        const n = normalizePhone(p);
        return !n.ok || n.value !== p;
      }),
    ).toEqual([]);
  });

  it('lets every demo user sign in and knows every cashier by the printed code', async () => {
    expect(info.users.map((u) => u.role)).toEqual(['owner', 'manager', 'marketer', 'analyst']);
    for (const user of DEMO_USERS) {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: user.password },
      });
      expect(login.statusCode, user.email).toBe(200);
    }
    expect(info.cashiers.map((c) => c.code)).toEqual(DEMO_CASHIERS.map((c) => c.code));
    const cashiers = await database.db.selectFrom('cashiers').select(['code_hash', 'code_lookup']).execute();
    for (const code of DEMO_CASHIERS.map((c) => c.code)) {
      const cashier = cashiers.find((c) => c.code_lookup.equals(accessCodeLookup(merchantId, code)));
      expect(cashier, code).toBeDefined();
      expect(await verifySecret(code, cashier?.code_hash ?? '')).toBe(true);
    }
  });

  it('leaves receipts the live flow can return, to the same lots', async () => {
    const owner = DEMO_USERS[0];
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: owner?.email, password: owner?.password },
    });
    const sid = login.cookies.find((c) => c.name === 'sid')?.value ?? '';
    const { csrfToken } = login.json<{ csrfToken: string }>();
    const [receipt] = await rows(sql<{ id: string; buyer_id: string }>`
      SELECT id, buyer_id FROM receipts WHERE points_paid > 0 ORDER BY created_at DESC LIMIT 1`);
    if (!receipt) throw new Error('no receipt paid with points');
    const lines = await database.db
      .selectFrom('receipt_lines')
      .select(['position', 'quantity'])
      .where('receipt_id', '=', receipt.id)
      .execute();
    const answer = await app.inject({
      method: 'POST',
      url: `/api/v1/purchases/${receipt.id}/return`,
      cookies: { sid },
      headers: { 'x-csrf-token': csrfToken },
      payload: {
        idempotencyKey: `demo-test-${receipt.id}`,
        lines: lines.map((l) => ({ index: l.position, quantity: l.quantity })),
      },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const sides = await ledgerSides(database.db, receipt.buyer_id);
    expect(sides.entries).toBe(sides.balance);
    expect(sides.lots - sides.debt).toBe(sides.balance);
  });

  it('refuses a bulk load that breaks a foreign key, with or without row triggers', async () => {
    const load = database.db.transaction().execute(async (trx) => {
      const suspended = await suspendRowTriggers(trx);
      await sql`
        INSERT INTO receipt_lines (receipt_id, merchant_id, position, product_id, quantity, price, amount,
          discount, points_paid, paid_money, accrual)
        VALUES (gen_random_uuid(), ${merchantId}, 0, 'no-such-receipt', 1000, 100, 100, 0, 0, 100, 0)`.execute(
        trx,
      );
      if (suspended) await checkForeignKeys(trx);
    });
    await expect(load).rejects.toThrow(/receipt_lines_receipt_id_fkey/);
  });

  it('is deterministic: the same seed and time give the same merchant', async () => {
    const digest = async (db: TestDatabase['db']) => {
      const result = await sql<{ digest: string }>`
        SELECT md5(
          (SELECT string_agg(concat_ws('|', id, phone, first_name, balance, purchases_total, card_type_id), ',' ORDER BY id) FROM buyers) ||
          (SELECT string_agg(concat_ws('|', id, buyer_id, amount, points_paid, accrual, created_at), ',' ORDER BY id) FROM receipts) ||
          (SELECT string_agg(concat_ws('|', id, remaining, expires_at), ',' ORDER BY id) FROM point_lots)
        ) AS digest`.execute(db);
      return result.rows[0]?.digest;
    };
    const sizes = { buyers: 40, receipts: 300, products: 200, uniqueCoupons: 10 };
    const copies = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      for (const copy of copies) await seedDemoIfEmpty(copy.db, logger, { sizes, now });
      const [first, second] = await Promise.all(copies.map((copy) => digest(copy.db)));
      expect(first).toBeDefined();
      expect(second).toBe(first);
    } finally {
      await Promise.all(copies.map((copy) => copy.drop()));
    }
    expect(generateCatalogue(new SeededRandom(8), 300)).not.toEqual(
      generateCatalogue(new SeededRandom(7), 300),
    );
  });

  it('does nothing when seeded again', async () => {
    const before = await rows(sql<{ n: number }>`SELECT count(*)::int AS n FROM receipts`);
    const again = await seedDemoIfEmpty(database.db, logger, { sizes: SIZES, now });
    expect(again?.created).toBeNull();
    expect(again?.email).toBe(info.email);
    const [merchants] = await rows(sql<{ n: number }>`SELECT count(*)::int AS n FROM merchants`);
    expect(merchants?.n).toBe(1);
    expect(await rows(sql<{ n: number }>`SELECT count(*)::int AS n FROM receipts`)).toEqual(before);
  });
});

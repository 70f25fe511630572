// C2 over a sliding period on a real PostgreSQL: the period total from receipts and their
// returns, the nightly recalculation (upgrades, downgrades, audit, idempotent, buyers in a sale
// left alone), once per merchant day with two instances, and the total the posting code reads.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import {
  recalculateCardTypes,
  requestTierRecalculation,
  runDueTierRecalculations,
} from './tier-recalculation.ts';
import { tierSettingsFor, tierTotalFor } from './tier-total.ts';

const DAY = 86_400_000;
const RUB = 100;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const rule = {
  accrual: { kind: 'percent', percent: 200 },
  accrualBase: 'paid',
  rounding: 'nearest_whole',
  expiry: { kind: 'never' },
  activation: { kind: 'immediate' },
  payment: { kind: 'up_to', percent: 10_000, minPoints: 0 },
};

type Programme = { owner: Session; base: string; silver: string; gold: string; staff: string };

/** Base from 0, silver from 10,000 RUB, gold from 50,000 RUB, staff by hand; the given settings. */
async function programme(settings: Record<string, unknown>): Promise<Programme> {
  const owner = await t.signIn('owner');
  const cardType = async (name: string, rank: number, threshold: number | null, issue: string) => {
    const res = await owner.request('POST', '/api/v1/card-types', {
      name,
      rank,
      threshold,
      issue,
      defaultRule: rule,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const base = await cardType('Базовая', 0, null, 'default');
  const silver = await cardType('Серебряная', 1, 10_000 * RUB, 'threshold');
  const gold = await cardType('Золотая', 2, 50_000 * RUB, 'threshold');
  const staff = await cardType('Сотрудник', 9, null, 'manual');
  const res = await owner.request('PUT', '/api/v1/programme/settings', {
    type: 'bonus',
    defaultCardTypeId: base,
    ...settings,
  });
  expect(res.statusCode, res.body).toBe(200);
  return { owner, base, silver, gold, staff };
}

async function buyer(p: Programme, cardTypeId: string | null, extra: { erased?: boolean } = {}) {
  const row = await t.db
    .insertInto('buyers')
    .values({
      merchant_id: p.owner.merchantId,
      channel: 'api',
      card_type_id: cardTypeId,
      erased_at: extra.erased ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A receipt `daysAgo`, after discount `paid` kopecks; with `returned`, a return of that amount. */
async function receipt(p: Programme, buyerId: string, daysAgo: number, paid: number, returned = 0) {
  const at = new Date(Date.now() - daysAgo * DAY);
  const row = await t.db
    .insertInto('receipts')
    .values({
      merchant_id: p.owner.merchantId,
      idempotency_key: randomUUID(),
      request_hash: Buffer.from('x'),
      buyer_id: buyerId,
      amount: paid + 1_000,
      discount: 1_000,
      points_paid: 0,
      paid_money: paid,
      accrual: 0,
      calculation: '{}',
      response: '{}',
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`UPDATE buyers SET purchases_total = purchases_total + ${paid - returned} WHERE id = ${buyerId}`.execute(
    t.db,
  );
  if (returned > 0)
    await t.db
      .insertInto('receipt_returns')
      .values({
        merchant_id: p.owner.merchantId,
        receipt_id: row.id,
        idempotency_key: randomUUID(),
        request_hash: Buffer.from('x'),
        request: '{}',
        // The stored answer as the purchase flow writes it: the return's value is result.totals.amount.
        response: JSON.stringify({ result: { totals: { amount: returned, refundMoney: returned } } }),
        refund_money: returned,
      })
      .execute();
}

const cardTypeOf = async (buyerId: string) =>
  (await t.db.selectFrom('buyers').select('card_type_id').where('id', '=', buyerId).executeTakeFirstOrThrow())
    .card_type_id;

const auditOf = (buyerId: string) =>
  t.db
    .selectFrom('audit_log')
    .select(['action', 'actor_type', 'before', 'after'])
    .where('entity_id', '=', buyerId)
    .where('action', 'like', 'card_type.%')
    .execute();

describe('programme settings (C2, C8)', () => {
  it('stores the tier period and referral mode, and refuses a period outside 30..1095 days', async () => {
    const p = await programme({ tierPeriodDays: 365, referral: { mode: 'invite_only' } });
    const read = (await p.owner.request('GET', '/api/v1/programme')).json<{
      settings: { tierPeriodDays: number | null; referral: { mode: string } };
    }>();
    expect(read.settings.tierPeriodDays).toBe(365);
    expect(read.settings.referral.mode).toBe('invite_only');
    for (const bad of [29, 1096, 30.5]) {
      const res = await p.owner.request('PUT', '/api/v1/programme/settings', {
        type: 'bonus',
        defaultCardTypeId: p.base,
        tierPeriodDays: bad,
      });
      expect(res.statusCode, String(bad)).toBe(400);
    }
    const allTime = await programme({});
    const defaults = (await allTime.owner.request('GET', '/api/v1/programme')).json<{
      settings: { tierPeriodDays: number | null; referral: { mode: string } };
    }>();
    expect(defaults.settings).toMatchObject({ tierPeriodDays: null, referral: { mode: 'anyone' } });
  });
});

describe('tierTotalFor (for the posting code)', () => {
  it('sums receipts within the period minus their returns; all time reads the counter', async () => {
    const p = await programme({ tierPeriodDays: 30 });
    const b = await buyer(p, null);
    await receipt(p, b, 40, 20_000 * RUB, 5_000 * RUB); // outside the window, returned or not
    await receipt(p, b, 10, 8_000 * RUB, 3_000 * RUB);
    await receipt(p, b, 0, 1_500 * RUB);
    const settings = await tierSettingsFor(t.db, p.owner.merchantId);
    expect(settings).toEqual({ tierPeriodDays: 30, timeZone: 'Europe/Moscow' });
    const now = new Date();
    expect(await tierTotalFor(t.db, p.owner.merchantId, b, settings!, now)).toBe(6_500 * RUB);
    expect(
      await tierTotalFor(t.db, p.owner.merchantId, b, { tierPeriodDays: null, timeZone: 'UTC' }, now),
    ).toBe(21_500 * RUB);
    expect(await tierTotalFor(t.db, p.owner.merchantId, randomUUID(), settings!, now)).toBe(0);
    // Another merchant's buyer is not visible.
    const other = await programme({ tierPeriodDays: 30 });
    expect(await tierTotalFor(t.db, other.owner.merchantId, b, settings!, now)).toBe(0);
  });

  it('reads returns exactly as the purchase flow stores them', async () => {
    const p = await programme({ tierPeriodDays: 30 });
    const store = await t.db
      .insertInto('stores')
      .values({ merchant_id: p.owner.merchantId, name: 'Магазин', attributes: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const b = await buyer(p, null);
    const sale = await p.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `tier-${randomUUID()}`,
      storeId: store.id,
      buyer: { buyerId: b },
      lines: [
        { productId: 'p1', price: 30_000, quantity: 2000 },
        { productId: 'p2', price: 12_345, quantity: 1000 },
      ],
      pointsToPay: 0,
    });
    expect(sale.statusCode, sale.body).toBe(200);
    const receiptId = sale.json<{ receiptId: string }>().receiptId;
    const back = await p.owner.request('POST', `/api/v1/purchases/${receiptId}/return`, {
      idempotencyKey: `tier-return-${receiptId}`,
      lines: [{ index: 0, quantity: 1000 }],
    });
    expect(back.statusCode, back.body).toBe(200);
    const counter = await t.db
      .selectFrom('buyers')
      .select('purchases_total')
      .where('id', '=', b)
      .executeTakeFirstOrThrow();
    expect(counter.purchases_total).toBe(42_345);
    const settings = await tierSettingsFor(t.db, p.owner.merchantId);
    expect(await tierTotalFor(t.db, p.owner.merchantId, b, settings!, new Date())).toBe(42_345);
  });
});

describe('recalculateCardTypes (nightly)', () => {
  it('moves buyers by their purchases in the period, writes audit entries, and is idempotent', async () => {
    const p = await programme({ tierPeriodDays: 30, allowDowngrade: true });
    const earned = await buyer(p, null);
    await receipt(p, earned, 5, 12_000 * RUB);
    const lapsed = await buyer(p, p.silver);
    await receipt(p, lapsed, 40, 60_000 * RUB);
    const returned = await buyer(p, p.base);
    await receipt(p, returned, 10, 60_000 * RUB, 20_000 * RUB);
    const staff = await buyer(p, p.staff);
    const erased = await buyer(p, p.gold, { erased: true });
    const quiet = await buyer(p, p.base);

    const counts = await recalculateCardTypes(t.db, p.owner.merchantId, new Date(), 2);
    expect(counts).toEqual({ checked: 5, changed: 3, unknownCardType: 0 });
    expect(await cardTypeOf(earned)).toBe(p.silver);
    expect(await cardTypeOf(lapsed)).toBe(p.base);
    expect(await cardTypeOf(returned)).toBe(p.silver);
    expect(await cardTypeOf(staff)).toBe(p.staff);
    expect(await cardTypeOf(erased)).toBe(p.gold);
    expect(await cardTypeOf(quiet)).toBe(p.base);
    expect(await auditOf(lapsed)).toEqual([
      {
        action: 'card_type.downgrade',
        actor_type: 'system',
        before: { cardTypeId: p.silver },
        after: { cardTypeId: p.base, change: 'downgrade', purchasesTotal: 0, tierPeriodDays: 30 },
      },
    ]);
    expect((await auditOf(earned)).map((a) => a.action)).toEqual(['card_type.upgrade']);

    expect(await recalculateCardTypes(t.db, p.owner.merchantId, new Date(), 2)).toEqual({
      checked: 5,
      changed: 0,
      unknownCardType: 0,
    });
    expect(await auditOf(lapsed)).toHaveLength(1);
  });

  it('keeps earned types when downgrades are off, and uses the all-time counter without a period', async () => {
    const p = await programme({ allowDowngrade: false });
    const keeps = await buyer(p, p.gold);
    const grows = await buyer(p, null);
    await receipt(p, grows, 400, 55_000 * RUB);
    expect(await recalculateCardTypes(t.db, p.owner.merchantId, new Date())).toMatchObject({ changed: 1 });
    expect(await cardTypeOf(keeps)).toBe(p.gold);
    expect(await cardTypeOf(grows)).toBe(p.gold);
  });

  it('leaves a buyer whose row a sale holds to that sale', async () => {
    const p = await programme({ tierPeriodDays: 30 });
    const busy = await buyer(p, p.silver);
    const free = await buyer(p, p.silver);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const sale = t.db.transaction().execute(async (trx) => {
      await trx.selectFrom('buyers').select('id').where('id', '=', busy).forUpdate().execute();
      locked();
      await held;
    });
    await isLocked;
    const counts = await recalculateCardTypes(t.db, p.owner.merchantId, new Date());
    release();
    await sale;
    expect(counts).toMatchObject({ checked: 1, changed: 1 });
    expect(await cardTypeOf(busy)).toBe(p.silver);
    expect(await cardTypeOf(free)).toBe(p.base);
  });
});

describe('runDueTierRecalculations (hourly job)', () => {
  it('runs once per merchant day after 03:00 local, with two instances at once', async () => {
    const p = await programme({ tierPeriodDays: 30 });
    const b = await buyer(p, p.silver);
    const mine = (runs: Awaited<ReturnType<typeof runDueTierRecalculations>>) =>
      runs.filter((r) => r.merchantId === p.owner.merchantId);
    // Moscow is UTC+3: 23:30 UTC is 02:30 local, too early; 00:30 UTC is 03:30 local.
    const early = new Date('2030-03-01T23:30:00Z');
    const night = new Date('2030-03-02T00:30:00Z');
    expect(mine(await runDueTierRecalculations(t.db, early))).toEqual([]);
    const [first, second] = await Promise.all([
      runDueTierRecalculations(t.db, night),
      runDueTierRecalculations(t.db, night),
    ]);
    const runs = [...mine(first ?? []), ...mine(second ?? [])];
    expect(runs).toEqual([
      {
        merchantId: p.owner.merchantId,
        localDate: '2030-03-02',
        ok: true,
        counts: { checked: 1, changed: 1, unknownCardType: 0 },
      },
    ]);
    expect(await cardTypeOf(b)).toBe(p.base);
    // The same day again: done already. A settings change makes it due within the hour.
    expect(mine(await runDueTierRecalculations(t.db, new Date('2030-03-02T10:00:00Z')))).toEqual([]);
    await requestTierRecalculation(t.db, p.owner.merchantId);
    expect(mine(await runDueTierRecalculations(t.db, new Date('2030-03-02T11:00:00Z')))).toHaveLength(1);
    // The next night it runs again.
    expect(mine(await runDueTierRecalculations(t.db, new Date('2030-03-03T00:30:00Z')))).toHaveLength(1);
    const row = await t.db
      .selectFrom('tier_recalculations')
      .select(['started_at', 'checked'])
      .where('merchant_id', '=', p.owner.merchantId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ started_at: null, checked: 1 });
  });

  it('changing the tier period makes the merchant due again', async () => {
    const p = await programme({ tierPeriodDays: 30 });
    const night = new Date('2030-04-02T00:30:00Z');
    await runDueTierRecalculations(t.db, night);
    const res = await p.owner.request('PUT', '/api/v1/programme/settings', {
      type: 'bonus',
      defaultCardTypeId: p.base,
      tierPeriodDays: 90,
    });
    expect(res.statusCode).toBe(200);
    const later = await runDueTierRecalculations(t.db, new Date('2030-04-02T09:00:00Z'));
    expect(later.filter((r) => r.merchantId === p.owner.merchantId)).toHaveLength(1);
  });
});

// What one posting statement writes (receipt-posting.ts), on a real PostgreSQL: overdraft for
// offline receipts and its repayment from accruals, referral rewards repaying the referrer's
// debt, card type upgrades with their audit entry, coupon uses, a taken key writing nothing,
// and the ledger invariant after each.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { ledgerSides } from '#ledger/ledger.service.ts';
import { preparedRulesFor } from '#programme/rules-snapshot.ts';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { buyerStateColumns } from './buyer-state.ts';
import { loadPostingContext, lockReferrers, readPostingContext } from './posting-context.ts';
import { postReceipt } from './receipt-posting.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const standardRule = {
  accrual: { kind: 'percent', percent: 200 },
  accrualBase: 'paid',
  rounding: 'down_whole',
  expiry: { kind: 'never' },
  activation: { kind: 'immediate' },
  payment: { kind: 'up_to', percent: 10_000, minPoints: 0 },
};

type Shop = { owner: Session; storeId: string; standardId: string };

async function shop(): Promise<Shop> {
  const owner = await t.signIn('owner');
  const cardType = await owner.request('POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: standardRule,
  });
  expect(cardType.statusCode).toBe(201);
  const store = await t.db
    .insertInto('stores')
    .values({ merchant_id: owner.merchantId, name: 'Магазин 1', attributes: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { owner, storeId: store.id, standardId: cardType.json<{ id: string }>().id };
}

async function newBuyer(s: Shop, values: { referrer_id?: string; purchases_count?: number } = {}) {
  const row = await t.db
    .insertInto('buyers')
    .values({ merchant_id: s.owner.merchantId, channel: 'api', ...values })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function points(s: Shop, buyerId: string, operation: 'accrue' | 'deduct', amount: number) {
  const r = await s.owner.request('POST', `/api/v1/buyers/${buyerId}/points`, {
    operation,
    points: amount,
    reason: 'тест',
  });
  expect(r.statusCode, r.body).toBe(200);
}

async function expectInvariant(buyerId: string) {
  const sides = await ledgerSides(t.db, buyerId);
  expect(sides.entries).toBe(sides.balance);
  expect(sides.lots - sides.debt).toBe(sides.balance);
  return sides;
}

/** What a till priced while the buyer still had the points (a dry run through the API). */
async function pricedAtTill(s: Shop, buyerId: string, price: number, pointsToPay: number) {
  const r = await s.owner.request('POST', '/api/v1/purchases/calculate', {
    storeId: s.storeId,
    buyer: { buyerId },
    lines: [{ productId: 'p1', price, quantity: 1000 }],
    pointsToPay,
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<{ calculation: Calculation }>().calculation;
}

/** Posts a receipt the way the terminal push does: offline, overdraft allowed. */
async function postOffline(s: Shop, buyerId: string, calculation: Calculation, key = randomUUID()) {
  const rules = await preparedRulesFor(t.db, s.owner.merchantId);
  if (!rules) throw new Error('no programme');
  const now = new Date();
  return t.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('buyers')
      .select(buyerStateColumns)
      .where('id', '=', buyerId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const context = await loadPostingContext(trx, s.owner.merchantId, row, {
      now,
      holdId: null,
      productKeys: [],
      defaultCardTypeId: rules.snapshot.programme.defaultCardTypeId,
      referralMode: 'anyone',
    });
    if (!context.buyer) throw new Error('no buyer state');
    return postReceipt(trx, {
      merchantId: s.owner.merchantId,
      receiptId: randomUUID(),
      idempotencyKey: key,
      requestHash: Buffer.from(key),
      number: null,
      storeId: s.storeId,
      cashierId: null,
      source: 'terminal',
      actor: { type: 'terminal', id: null },
      calculation,
      buyer: { row, state: context.buyer },
      referrerDebts: await lockReferrers(
        trx,
        s.owner.merchantId,
        calculation.referralRewards.map((r) => r.referrerId),
      ),
      holdId: null,
      tierTotalBefore: null,
      allowOverdraft: true,
      terminal: null,
      rules,
      now,
    });
  });
}

describe('receipt posting (C12, B3)', () => {
  it('books an offline spend beyond the lots as overdraft, repaid first from accruals', async () => {
    const s = await shop();
    const buyerId = await newBuyer(s);
    await points(s, buyerId, 'accrue', 10_000);
    // The till saw 100 points and spent them all on 500.00; meanwhile another till spent 60.
    const calculation = await pricedAtTill(s, buyerId, 50_000, 10_000);
    expect(calculation.totals.pointsPaid).toBe(10_000);
    await points(s, buyerId, 'deduct', 6_000);

    const posted = await postOffline(s, buyerId, calculation);
    expect(posted).toMatchObject({ ok: true, overdraft: 6_000 });
    // 2 % of the 400.00 paid in money = 8 points, all of it repays debt: 60 - 8 = 52 owed.
    const sides = await expectInvariant(buyerId);
    expect(sides).toMatchObject({ balance: -5_200, debt: 5_200, lots: 0 });
    const receipt = await t.db
      .selectFrom('receipts')
      .select(['overdraft', 'source'])
      .where('buyer_id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(receipt).toEqual({ overdraft: 6_000, source: 'terminal' });
    const kinds = await t.db
      .selectFrom('ledger_entries')
      .select(['kind', 'points'])
      .where('buyer_id', '=', buyerId)
      .orderBy('id')
      .execute();
    expect(kinds.slice(2)).toEqual([
      { kind: 'redemption', points: -10_000 },
      { kind: 'accrual', points: 800 },
      { kind: 'overdraft_repayment', points: 0 },
    ]);

    // A later online sale of 3000.00 accrues 60 points: 52 repay the rest of the debt.
    const confirm = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: randomUUID(),
      storeId: s.storeId,
      buyer: { buyerId },
      lines: [{ productId: 'p1', price: 300_000, quantity: 1000 }],
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.json<{ buyer: { balance: number; debt: number } }>().buyer).toMatchObject({
      balance: 800,
      debt: 0,
    });
    expect(await expectInvariant(buyerId)).toMatchObject({ balance: 800, debt: 0, lots: 800 });
  });

  it('a taken idempotency key fails the statement and writes nothing', async () => {
    const s = await shop();
    const buyerId = await newBuyer(s);
    const calculation = await pricedAtTill(s, buyerId, 10_000, 0);
    const key = randomUUID();
    expect((await postOffline(s, buyerId, calculation, key)).ok).toBe(true);
    await expect(postOffline(s, buyerId, calculation, key)).rejects.toMatchObject({ code: '23505' });
    const counted = await t.db
      .selectFrom('receipts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('buyer_id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(1);
    expect(await expectInvariant(buyerId)).toMatchObject({ balance: 200, lots: 200 });
  });

  it('writes nothing and answers stale when the buyer moved since the read (optimistic path)', async () => {
    const s = await shop();
    const buyerId = await newBuyer(s);
    await points(s, buyerId, 'accrue', 5_000);
    const rules = await preparedRulesFor(t.db, s.owner.merchantId);
    if (!rules) throw new Error('no programme');
    const now = new Date();
    const context = await readPostingContext(
      t.db,
      s.owner.merchantId,
      { buyerId },
      {
        now,
        holdId: null,
        productKeys: [],
        defaultCardTypeId: rules.snapshot.programme.defaultCardTypeId,
        referralMode: 'anyone',
      },
    );
    if (!context.row || !context.buyer) throw new Error('buyer not read');
    const calculation = await pricedAtTill(s, buyerId, 10_000, 5_000);
    // Another sale spends the points between this read and the write.
    await points(s, buyerId, 'deduct', 5_000);
    const posting = {
      merchantId: s.owner.merchantId,
      receiptId: randomUUID(),
      idempotencyKey: randomUUID(),
      requestHash: Buffer.from('x'),
      number: null,
      storeId: s.storeId,
      cashierId: null,
      source: 'api' as const,
      actor: { type: 'system' as const, id: null },
      calculation,
      buyer: { row: context.row, state: context.buyer },
      referrerDebts: new Map<string, number>(),
      holdId: null,
      tierTotalBefore: null,
      allowOverdraft: false,
      terminal: null,
      rules,
      now,
    };
    expect(await postReceipt(t.db, posting)).toEqual({ ok: false, code: 'stale' });
    expect(await expectInvariant(buyerId)).toMatchObject({ balance: 0, lots: 0, debt: 0 });
    const receipts = await t.db.selectFrom('receipts').select('id').where('buyer_id', '=', buyerId).execute();
    expect(receipts).toEqual([]);
  });

  it('credits referral rewards and repays the referrer’s debt from them first (C8)', async () => {
    const s = await shop();
    const settings = await s.owner.request('PUT', '/api/v1/programme/settings', {
      type: 'bonus',
      defaultCardTypeId: s.standardId,
      referral: { levels: [{ level: 1, reward: { kind: 'fixed', points: 5_000 } }] },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const referrerId = await newBuyer(s);
    // The referrer owes 30 points after an offline overspend.
    await points(s, referrerId, 'accrue', 3_000);
    const spent = await pricedAtTill(s, referrerId, 10_000, 3_000);
    await points(s, referrerId, 'deduct', 3_000);
    expect(await postOffline(s, referrerId, spent)).toMatchObject({ ok: true, overdraft: 3_000 });
    const owed = await expectInvariant(referrerId);
    // 2 % of the 70.00 paid in money, rounded down to whole points: 1 point repays at once.
    expect(owed.debt).toBe(3_000 - 100);

    const buyerId = await newBuyer(s, { referrer_id: referrerId, purchases_count: 0 });
    const confirm = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: randomUUID(),
      storeId: s.storeId,
      buyer: { buyerId },
      lines: [{ productId: 'p1', price: 10_000, quantity: 1000 }],
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    // 50 points for the first purchase of the referred buyer: 29 of them repay the debt.
    expect(await expectInvariant(referrerId)).toMatchObject({ balance: 2_100, debt: 0, lots: 2_100 });
    await expectInvariant(buyerId);
  });

  it('upgrades the card type when total purchases reach the threshold, with an audit entry (C2)', async () => {
    const s = await shop();
    const silver = await s.owner.request('POST', '/api/v1/card-types', {
      name: 'Серебряная',
      rank: 1,
      threshold: 100_000,
      issue: 'threshold',
      defaultRule: { ...standardRule, accrual: { kind: 'percent', percent: 500 } },
    });
    expect(silver.statusCode, silver.body).toBe(201);
    const silverId = silver.json<{ id: string }>().id;
    const buyerId = await newBuyer(s);
    const sale = (price: number) =>
      s.owner.request('POST', '/api/v1/purchases/confirm', {
        idempotencyKey: randomUUID(),
        storeId: s.storeId,
        buyer: { buyerId },
        lines: [{ productId: 'p1', price, quantity: 1000 }],
      });
    expect((await sale(60_000)).statusCode).toBe(200);
    const before = await t.db
      .selectFrom('buyers')
      .select(['card_type_id', 'purchases_total', 'purchases_count'])
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(before.card_type_id).not.toBe(silverId);
    expect(before).toMatchObject({ purchases_total: 60_000, purchases_count: 1 });
    const second = await sale(40_000);
    expect(second.statusCode, second.body).toBe(200);
    const after = await t.db
      .selectFrom('buyers')
      .select(['card_type_id', 'purchases_total', 'last_store_id'])
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      card_type_id: silverId,
      purchases_total: 100_000,
      last_store_id: s.storeId,
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', buyerId)
      .execute();
    expect(audit).toEqual([{ action: 'card_type.upgrade', after: { cardTypeId: silverId } }]);
    // The next sale earns the silver rate: 5 % of 100.00.
    const third = await sale(10_000);
    expect(third.json<{ calculation: Calculation }>().calculation.totals.accrual).toBe(500);
  });

  it('decides the card type on the tier period when one is set, not on all-time purchases (C2)', async () => {
    const s = await shop();
    const silver = await s.owner.request('POST', '/api/v1/card-types', {
      name: 'Серебряная',
      rank: 1,
      threshold: 100_000,
      issue: 'threshold',
      defaultRule: standardRule,
    });
    const silverId = silver.json<{ id: string }>().id;
    const settings = await s.owner.request('PUT', '/api/v1/programme/settings', {
      type: 'bonus',
      defaultCardTypeId: s.standardId,
      tierPeriodDays: 365,
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const buyerId = await newBuyer(s);
    const sale = (price: number) =>
      s.owner.request('POST', '/api/v1/purchases/confirm', {
        idempotencyKey: randomUUID(),
        storeId: s.storeId,
        buyer: { buyerId },
        lines: [{ productId: 'p1', price, quantity: 1000 }],
      });
    expect((await sale(90_000)).statusCode).toBe(200);
    // That sale was 400 days ago: outside the period.
    await sql`UPDATE receipts SET created_at = now() - interval '400 days' WHERE buyer_id = ${buyerId}`.execute(
      t.db,
    );
    expect((await sale(20_000)).statusCode).toBe(200);
    const stillStandard = await t.db
      .selectFrom('buyers')
      .select(['card_type_id', 'purchases_total'])
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    // 1100.00 all-time, but 200.00 within the year: no upgrade.
    expect(stillStandard.purchases_total).toBe(110_000);
    expect(stillStandard.card_type_id).not.toBe(silverId);
    expect((await sale(80_000)).statusCode).toBe(200);
    const upgraded = await t.db
      .selectFrom('buyers')
      .select('card_type_id')
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(upgraded.card_type_id).toBe(silverId);
  });

  it('pays referral rewards only to referrers allowed to invite in the invite-only mode (C8)', async () => {
    const s = await shop();
    const settings = await s.owner.request('PUT', '/api/v1/programme/settings', {
      type: 'bonus',
      defaultCardTypeId: s.standardId,
      referral: {
        mode: 'invite_only',
        levels: [
          { level: 1, reward: { kind: 'fixed', points: 1_000 } },
          { level: 2, reward: { kind: 'fixed', points: 500 } },
        ],
      },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const grand = await t.db
      .insertInto('buyers')
      .values({ merchant_id: s.owner.merchantId, channel: 'api', can_invite: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    const parent = await t.db
      .insertInto('buyers')
      .values({ merchant_id: s.owner.merchantId, channel: 'api', referrer_id: grand.id, can_invite: false })
      .returning('id')
      .executeTakeFirstOrThrow();
    const buyerId = await newBuyer(s, { referrer_id: parent.id, purchases_count: 0 });
    const confirm = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: randomUUID(),
      storeId: s.storeId,
      buyer: { buyerId },
      lines: [{ productId: 'p1', price: 10_000, quantity: 1000 }],
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    // The level-1 referrer may not invite: nothing; the level-2 one keeps its level and reward.
    expect(await expectInvariant(parent.id)).toMatchObject({ balance: 0 });
    expect(await expectInvariant(grand.id)).toMatchObject({ balance: 500 });
  });

  it('counts a coupon use and records the redemption', async () => {
    const s = await shop();
    const promo = await s.owner.request('POST', '/api/v1/promotions', {
      name: 'Минус 10% по купону',
      effect: { kind: 'discount_percent', percent: 1000 },
    });
    const series = await s.owner.request('POST', '/api/v1/coupon-series', {
      name: 'Весна',
      promotionId: promo.json<{ id: string }>().id,
      usage: 'multi',
      codes: { kind: 'shared', code: 'SPRING10' },
    });
    expect(series.statusCode, series.body).toBe(201);
    const buyerId = await newBuyer(s);
    const confirm = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: randomUUID(),
      storeId: s.storeId,
      buyer: { buyerId },
      lines: [{ productId: 'p1', price: 100_000, quantity: 1000 }],
      coupons: ['spring10'],
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.json<{ calculation: Calculation }>().calculation.totals.discount).toBe(10_000);
    const code = await t.db
      .selectFrom('coupon_codes')
      .select(['id', 'uses'])
      .where('merchant_id', '=', s.owner.merchantId)
      .executeTakeFirstOrThrow();
    expect(code.uses).toBe(1);
    const redemptions = await t.db
      .selectFrom('coupon_redemptions')
      .select(['buyer_id', 'receipt_id'])
      .where('code_id', '=', code.id)
      .execute();
    expect(redemptions).toEqual([
      { buyer_id: buyerId, receipt_id: confirm.json<{ receiptId: string }>().receiptId },
    ]);
  });
});

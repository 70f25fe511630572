// Jobs run on the real queue: an expired lot burns once the expiry job runs, exactly once even
// with two workers (two "server instances") on the same database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ledgerSides } from '#ledger/ledger.service.ts';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { Job, startJobs, type Jobs } from './jobs.ts';

let t: TestDatabase;
const running: Jobs[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const jobs of running) await jobs.stop();
  await t.drop();
});

describe('lot expiry job (C12)', () => {
  it('burns expired lots once, with two workers on one database', async () => {
    const merchant = await t.db
      .insertInto('merchants')
      .values({ name: 'm' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const buyer = await t.db
      .insertInto('buyers')
      .values({ merchant_id: merchant.id, channel: 'api', balance: 1_500 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const past = new Date(Date.now() - 60_000);
    const lots = await t.db
      .insertInto('point_lots')
      .values([
        {
          merchant_id: merchant.id,
          buyer_id: buyer.id,
          source: 'manual',
          initial: 1_000,
          remaining: 1_000,
          activates_at: past,
          expires_at: past,
        },
        {
          merchant_id: merchant.id,
          buyer_id: buyer.id,
          source: 'manual',
          initial: 500,
          remaining: 500,
          activates_at: past,
          expires_at: null,
        },
      ])
      .returning('id')
      .execute();
    await t.db
      .insertInto('ledger_entries')
      .values(
        lots.map((lot, i) => ({
          merchant_id: merchant.id,
          buyer_id: buyer.id,
          operation_id: crypto.randomUUID(),
          kind: 'manual_accrual',
          points: i === 0 ? 1_000 : 500,
          lot_id: lot.id,
        })),
      )
      .execute();

    const logger = pino({ level: 'silent' });
    running.push(await startJobs(t.url, t.db, logger), await startJobs(t.url, t.db, logger));
    await running[0]?.boss.send(Job.expireLots, {});
    await running[1]?.boss.send(Job.expireLots, {});
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const expiries = await t.db
        .selectFrom('ledger_entries')
        .select('id')
        .where('kind', '=', 'expiry')
        .execute();
      if (expiries.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(
      (await t.db.selectFrom('ledger_entries').select('points').where('kind', '=', 'expiry').execute()).map(
        (e) => e.points,
      ),
    ).toEqual([-1_000]);
    const sides = await ledgerSides(t.db, buyer.id);
    expect(sides).toEqual({ balance: 500, debt: 0, entries: 500, lots: 500 });
  });
});

describe('card type recalculation job (C2)', () => {
  it('recalculates a due merchant once, with two workers on one database', async () => {
    // A zone where it is midday now, so the merchant is due whatever the hour of the test run.
    const offset = 12 - new Date().getUTCHours();
    const zone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const merchant = await t.db
      .insertInto('merchants')
      .values({ name: 'tiers', time_zone: zone })
      .returning('id')
      .executeTakeFirstOrThrow();
    const types = await t.db
      .insertInto('card_types')
      .values([
        { merchant_id: merchant.id, name: 'Базовая', rank: 0, threshold: null, issue: 'default' },
        { merchant_id: merchant.id, name: 'Серебряная', rank: 1, threshold: 1_000_000, issue: 'threshold' },
      ])
      .returning('id')
      .execute();
    const [base, silver] = types.map((row) => row.id);
    await t.db
      .insertInto('programme_rules')
      .values(
        types.map((row) => ({
          merchant_id: merchant.id,
          card_type_id: row.id,
          category_id: null,
          body: JSON.stringify({
            accrual: { kind: 'none' },
            accrualBase: 'paid',
            rounding: 'down_whole',
            expiry: { kind: 'never' },
            activation: { kind: 'immediate' },
            payment: { kind: 'forbidden' },
            discountPercent: 0,
          }),
        })),
      )
      .execute();
    await t.db
      .insertInto('programme_settings')
      .values({
        merchant_id: merchant.id,
        body: JSON.stringify({
          type: 'bonus',
          defaultCardTypeId: base,
          allowDowngrade: true,
          tierPeriodDays: 30,
        }),
      })
      .execute();
    const buyer = await t.db
      .insertInto('buyers')
      .values({
        merchant_id: merchant.id,
        channel: 'api',
        card_type_id: silver ?? null,
        purchases_total: 5_000_000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    if (running.length === 0) {
      const logger = pino({ level: 'silent' });
      running.push(await startJobs(t.url, t.db, logger), await startJobs(t.url, t.db, logger));
    }
    await running[0]?.boss.send(Job.recalculateCardTypes, {});
    await running[1]?.boss.send(Job.recalculateCardTypes, {});
    const deadline = Date.now() + 20_000;
    let finished: { local_date: Date | null } | undefined;
    while (Date.now() < deadline) {
      finished = await t.db
        .selectFrom('tier_recalculations')
        .select('local_date')
        .where('merchant_id', '=', merchant.id)
        .where('local_date', 'is not', null)
        .executeTakeFirst();
      if (finished) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(finished).toBeDefined();
    // No purchases in the last 30 days: back to the base type, recorded once.
    const after = await t.db
      .selectFrom('buyers')
      .select('card_type_id')
      .where('id', '=', buyer.id)
      .executeTakeFirstOrThrow();
    expect(after.card_type_id).toBe(base);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', buyer.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['card_type.downgrade']);
  });
});

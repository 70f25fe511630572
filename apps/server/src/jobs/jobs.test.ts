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

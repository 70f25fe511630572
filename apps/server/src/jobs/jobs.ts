// Background jobs on a PostgreSQL-backed queue (pg-boss), so any number of server instances can
// share the work: pg-boss hands each job to one worker, and the jobs themselves lock rows with
// SKIP LOCKED, so even overlapping runs never touch a lot twice.
import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '#db/database.ts';
import { expireDueLots } from '#ledger/ledger.service.ts';
import { runDueTierRecalculations } from '#tiers/tier-recalculation.ts';

/** Queue names. */
export const Job = {
  expireLots: 'expire-lots',
  recalculateCardTypes: 'recalculate-card-types',
} as const;

/** Burns every lot whose time has come, in batches, each batch its own transaction. */
export async function runLotExpiry(db: Db, now: Date = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const burned = await db.transaction().execute((trx) => expireDueLots(trx, now, 500));
    total += burned;
    if (burned < 500) return total;
  }
}

/** A running job system; stop() waits for jobs in flight. */
export type Jobs = { boss: PgBoss; stop(): Promise<void> };

/** Starts pg-boss on `url`, schedules the periodic jobs and registers their workers. */
export async function startJobs(
  url: string,
  db: Db,
  logger: FastifyBaseLogger,
  stopping: () => boolean = () => false,
): Promise<Jobs> {
  const boss = new PgBoss({ connectionString: url, max: 4, application_name: 'loyalty-jobs' });
  boss.on('error', (error: Error & { code?: string }) => {
    // Log the message and code only: the error carries the whole pg client otherwise.
    if (!stopping()) logger.error({ code: error.code, msg: error.message }, 'job queue error');
  });
  await boss.start();
  await boss.createQueue(Job.expireLots, { name: Job.expireLots, policy: 'singleton' });
  // Every minute: points burn within a minute of their expiry time (C12).
  await boss.schedule(Job.expireLots, '* * * * *', {}, { tz: 'UTC' });
  await boss.work(Job.expireLots, async () => {
    const burned = await runLotExpiry(db);
    if (burned > 0) logger.info({ burned }, 'expired point lots');
  });
  // Hourly, so every time zone gets its night: each merchant is recalculated once per local day
  // (after RECALCULATION_LOCAL_HOUR), and within the hour after a tier setting changes (C2). A
  // large merchant may take minutes; the singleton queue keeps runs from overlapping.
  await boss.createQueue(Job.recalculateCardTypes, {
    name: Job.recalculateCardTypes,
    policy: 'singleton',
    expireInHours: 2,
    retryLimit: 0,
  });
  await boss.schedule(Job.recalculateCardTypes, '17 * * * *', {}, { tz: 'UTC' });
  await boss.work(Job.recalculateCardTypes, async () => {
    for (const run of await runDueTierRecalculations(db, new Date())) {
      if (run.ok) logger.info({ merchantId: run.merchantId, ...run.counts }, 'recalculated card types');
      else
        logger.error(
          { merchantId: run.merchantId, err: run.error },
          'card type recalculation failed; retried on the next run',
        );
    }
  });
  return { boss, stop: () => boss.stop({ graceful: true, wait: true }) };
}

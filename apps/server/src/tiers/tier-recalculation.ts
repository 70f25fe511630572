// The nightly card type recalculation (C2). With a tier period, purchases leave the window as days
// pass, so card types must change without any purchase; with or without one, a changed threshold
// reaches buyers who have not bought since. Buyers are read in id order in batches, each batch one
// transaction that locks its rows (SKIP LOCKED: a buyer in the middle of a sale is left to the sale,
// which re-evaluates anyway), evaluated by the engine's rule and written with one UPDATE and one
// audit INSERT. Re-running changes nothing, so overlapping or repeated runs are harmless.
import { sql, type Transaction } from 'kysely';
import { evaluateCardType } from '@loyalty/core/tiers/card-type-evaluation';
import { kopecks } from '@loyalty/core/money/money';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { preparedRulesFor } from '#programme/rules-snapshot.ts';
import { periodTotalSql, tierSettingsFor, tierWindowStart } from './tier-total.ts';

/** Buyers per transaction: short enough not to hold up sales, large enough to keep statements few. */
export const RECALCULATION_BATCH = 2000;
/** A merchant's day is recalculated from this local hour on: past midnight, when tills are quiet. */
export const RECALCULATION_LOCAL_HOUR = 3;
/** A run that has not finished within this long is taken to have died and may be taken over. */
const LEASE_HOURS = 2;

/** What one merchant's run did. */
export type RecalculationCounts = { checked: number; changed: number; unknownCardType: number };

type Change = {
  id: string;
  before: string | null;
  after: string;
  change: 'upgrade' | 'downgrade';
  total: number;
};

/**
 * Re-evaluates the card type of every buyer of one merchant at `now`. Null when the merchant has
 * no programme. Changes are written as `card_type.upgrade` / `card_type.downgrade` audit entries by
 * the system, like those the purchase flow writes.
 */
export async function recalculateCardTypes(
  db: Db,
  merchantId: string,
  now: Date,
  batchSize = RECALCULATION_BATCH,
): Promise<RecalculationCounts | null> {
  const rules = await preparedRulesFor(db, merchantId);
  const tiers = await tierSettingsFor(db, merchantId);
  if (!rules || !tiers) return null;
  const { cardTypes, programme } = rules.snapshot;
  const start = tierWindowStart(tiers, now);
  const counts: RecalculationCounts = { checked: 0, changed: 0, unknownCardType: 0 };
  let cursor: string | null = null;
  for (;;) {
    const last: string | null = await db.transaction().execute(async (trx) => {
      const total =
        start === null
          ? sql`batch.purchases_total`
          : periodTotalSql(sql`batch.merchant_id`, sql`batch.id`, start);
      const rows = await sql<{ id: string; card_type_id: string | null; total: number }>`
        WITH batch AS (
          SELECT id, merchant_id, card_type_id, purchases_total FROM buyers
          WHERE merchant_id = ${merchantId} AND erased_at IS NULL
            ${cursor === null ? sql`` : sql`AND id > ${cursor}`}
          ORDER BY id LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED)
        SELECT id, card_type_id, ${total} AS total FROM batch ORDER BY id`.execute(trx);
      const changes: Change[] = [];
      for (const row of rows.rows) {
        const purchasesTotal = Math.max(0, Number(row.total));
        const evaluation = evaluateCardType({
          cardTypes,
          currentCardTypeId: row.card_type_id ?? programme.defaultCardTypeId,
          purchasesTotal: kopecks(purchasesTotal),
          allowDowngrade: programme.allowDowngrade,
        });
        // An archived card type is the manager's business to reassign; the rule cannot judge it.
        if (!evaluation.ok) counts.unknownCardType++;
        else if (evaluation.value.change !== 'none')
          changes.push({
            id: row.id,
            before: row.card_type_id,
            after: evaluation.value.cardTypeId,
            change: evaluation.value.change,
            total: purchasesTotal,
          });
      }
      if (changes.length > 0) await writeChanges(trx, merchantId, changes, tiers.tierPeriodDays);
      counts.checked += rows.rows.length;
      counts.changed += changes.length;
      return rows.rows.length < batchSize ? null : (rows.rows.at(-1)?.id ?? null);
    });
    if (last === null) return counts;
    cursor = last;
  }
}

async function writeChanges(
  trx: Transaction<Database>,
  merchantId: string,
  changes: Change[],
  tierPeriodDays: number | null,
): Promise<void> {
  const ids = changes.map((c) => c.id);
  await sql`
    UPDATE buyers b SET card_type_id = c.card_type_id, updated_at = now()
    FROM unnest(${ids}::uuid[], ${changes.map((c) => c.after)}::uuid[]) AS c(id, card_type_id)
    WHERE b.merchant_id = ${merchantId} AND b.id = c.id`.execute(trx);
  await sql`
    INSERT INTO audit_log (merchant_id, actor_type, actor_id, action, entity, entity_id, before, after)
    SELECT ${merchantId}, 'system', NULL, c.action, 'buyer', c.id, c.before::jsonb, c.after::jsonb
    FROM unnest(${ids}::uuid[], ${changes.map((c) => `card_type.${c.change}`)}::text[],
      ${changes.map((c) => JSON.stringify({ cardTypeId: c.before }))}::text[],
      ${changes.map((c) =>
        JSON.stringify({ cardTypeId: c.after, change: c.change, purchasesTotal: c.total, tierPeriodDays }),
      )}::text[]) AS c(id, action, before, after)`.execute(trx);
}

/** One merchant's finished or failed run. */
export type MerchantRun = { merchantId: string; localDate: string } & (
  { ok: true; counts: RecalculationCounts } | { ok: false; error: unknown }
);

/**
 * Runs the recalculation for every merchant with a programme whose local day has passed
 * RECALCULATION_LOCAL_HOUR since its last finished run. A merchant is claimed first (a lease in
 * tier_recalculations), so two instances never work on the same merchant at once, and a day is
 * done once. A failed merchant is released and retried on the next run.
 */
export async function runDueTierRecalculations(db: Db, now: Date): Promise<MerchantRun[]> {
  const due = await sql<{ merchant_id: string; local_date: string }>`
    SELECT m.id AS merchant_id, to_char(l.local_now::date, 'YYYY-MM-DD') AS local_date
    FROM merchants m
    JOIN programme_settings p ON p.merchant_id = m.id
    CROSS JOIN LATERAL (SELECT ${now}::timestamptz AT TIME ZONE m.time_zone AS local_now) l
    LEFT JOIN tier_recalculations t ON t.merchant_id = m.id
    WHERE extract(hour FROM l.local_now) >= ${RECALCULATION_LOCAL_HOUR}
      AND (t.local_date IS NULL OR t.local_date < l.local_now::date)
    ORDER BY m.id`.execute(db);
  const runs: MerchantRun[] = [];
  for (const { merchant_id: merchantId, local_date: localDate } of due.rows) {
    if (!(await claim(db, merchantId, localDate, now))) continue;
    try {
      const counts = (await recalculateCardTypes(db, merchantId, now)) ?? {
        checked: 0,
        changed: 0,
        unknownCardType: 0,
      };
      await db
        .updateTable('tier_recalculations')
        .set({
          local_date: localDate,
          started_at: null,
          finished_at: now,
          checked: counts.checked,
          changed: counts.changed,
        })
        .where('merchant_id', '=', merchantId)
        .execute();
      runs.push({ merchantId, localDate, ok: true, counts });
    } catch (error) {
      await db
        .updateTable('tier_recalculations')
        .set({ started_at: null })
        .where('merchant_id', '=', merchantId)
        .execute();
      runs.push({ merchantId, localDate, ok: false, error });
    }
  }
  return runs;
}

/** Takes the merchant's lease for `localDate`; false when another run holds it or the day is done. */
async function claim(db: Db, merchantId: string, localDate: string, now: Date): Promise<boolean> {
  const row = await sql<{ merchant_id: string }>`
    INSERT INTO tier_recalculations AS t (merchant_id, started_at) VALUES (${merchantId}, ${now})
    ON CONFLICT (merchant_id) DO UPDATE SET started_at = EXCLUDED.started_at
    WHERE (t.local_date IS NULL OR t.local_date < ${localDate}::date)
      AND (t.started_at IS NULL OR t.started_at < ${now}::timestamptz - make_interval(hours => ${LEASE_HOURS}))
    RETURNING t.merchant_id`.execute(db);
  return row.rows.length === 1;
}

/**
 * Makes the merchant's card types due for recalculation on the next hourly run (after a change
 * of the tier period, downgrades or thresholds), instead of waiting for the next night.
 */
export async function requestTierRecalculation(
  trx: Db | Transaction<Database>,
  merchantId: string,
): Promise<void> {
  await trx
    .updateTable('tier_recalculations')
    .set({ local_date: null })
    .where('merchant_id', '=', merchantId)
    .execute();
}

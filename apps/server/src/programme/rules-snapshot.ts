// Assembles a merchant's rules snapshot from its tables and prepares it for the engine. Prepared
// rules are cached per (merchant, programme version): every programme write bumps the version in
// the same transaction, so a cached snapshot is never stale.
import { sql, type Transaction } from 'kysely';
import { prepareRules, type PreparedRules } from '@loyalty/core/rules/prepared-rules';
import type { RulesSnapshotInput } from '@loyalty/core/rules/snapshot.schema';
import type { Problem, Result } from '@loyalty/core/shared/result';
import type { programmeSettingsSchema } from '@loyalty/protocol/api/programme.schema';
import type { z } from 'zod';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';

type Executor = Db | Transaction<Database>;

/** The stored programme settings body: what the API accepted (packages/protocol). */
export type StoredSettings = z.output<typeof programmeSettingsSchema>;

/** The programme version, or null when the merchant has no programme yet. */
export async function programmeVersion(db: Executor, merchantId: string): Promise<number | null> {
  const row = await db
    .selectFrom('programme_settings')
    .select('version')
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return row?.version ?? null;
}

/** Builds the snapshot from the tables; null when the programme has no settings yet. */
export async function loadSnapshot(db: Executor, merchantId: string): Promise<RulesSnapshotInput | null> {
  return (await loadProgramme(db, merchantId))?.snapshot ?? null;
}

/** The snapshot and the stored settings it came from (which also hold server-only settings). */
async function loadProgramme(
  db: Executor,
  merchantId: string,
): Promise<{ snapshot: RulesSnapshotInput; settings: StoredSettings } | null> {
  const settingsRow = await db
    .selectFrom('programme_settings')
    .innerJoin('merchants', 'merchants.id', 'programme_settings.merchant_id')
    .select(['programme_settings.body', 'programme_settings.version', 'merchants.time_zone'])
    .where('programme_settings.merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!settingsRow) return null;
  const settings = settingsRow.body as StoredSettings;
  const [cardTypes, rules, happyHours, promotions, series, stores, categories] = await Promise.all([
    db
      .selectFrom('card_types')
      .select(['id', 'name', 'rank', 'threshold', 'issue'])
      .where('merchant_id', '=', merchantId)
      .where('archived_at', 'is', null)
      .execute(),
    db
      .selectFrom('programme_rules')
      .select(['id', 'card_type_id', 'category_id', 'body'])
      .where('merchant_id', '=', merchantId)
      .execute(),
    db
      .selectFrom('happy_hours')
      .select(['id', 'body'])
      .where('merchant_id', '=', merchantId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('promotions')
      .select(['id', 'body'])
      .where('merchant_id', '=', merchantId)
      .where('archived_at', 'is', null)
      .execute(),
    // A series lives as long as its promotion: archiving the promotion retires its coupons.
    db
      .selectFrom('coupon_series')
      .innerJoin('promotions', 'promotions.id', 'coupon_series.promotion_id')
      .select(['coupon_series.id', 'coupon_series.promotion_id', 'coupon_series.name', 'coupon_series.body'])
      .where('coupon_series.merchant_id', '=', merchantId)
      .where('promotions.archived_at', 'is', null)
      .execute(),
    // Stores and categories belong to the catalogue module; read only what the engine needs.
    sql<{ id: string; attributes: Record<string, string> }>`
      SELECT id, attributes FROM stores WHERE merchant_id = ${merchantId} AND archived_at IS NULL`.execute(
      db,
    ),
    sql<{ id: string; parent_id: string | null }>`
      SELECT id, parent_id FROM categories WHERE merchant_id = ${merchantId}`.execute(db),
  ]);
  const snapshot: RulesSnapshotInput = {
    version: `${merchantId}:${settingsRow.version}`,
    timeZone: settingsRow.time_zone,
    programme: {
      type: settings.type,
      defaultCardTypeId: settings.defaultCardTypeId,
      allowDowngrade: settings.allowDowngrade,
      redemptionRequiresCode: settings.redemptionRequiresCode,
    },
    cardTypes: cardTypes.map((c) => ({
      id: c.id,
      name: c.name,
      rank: c.rank,
      threshold: c.threshold,
      issue: c.issue,
    })),
    categories: categories.rows.map((c) => ({ id: c.id, parentId: c.parent_id })),
    stores: stores.rows.map((s) => ({
      id: s.id,
      // The engine matches attributes as strings; the catalogue may keep richer values.
      attributes: Object.fromEntries(Object.entries(s.attributes ?? {}).map(([k, v]) => [k, String(v)])),
    })),
    rules: rules.map((r) => ({
      ...(r.body as object),
      id: r.id,
      cardTypeId: r.card_type_id,
      categoryId: r.category_id,
    })) as RulesSnapshotInput['rules'],
    happyHours: happyHours.map((h) => ({
      ...(h.body as object),
      id: h.id,
    })) as RulesSnapshotInput['happyHours'],
    promotions: promotions.map((p) => ({
      ...(p.body as object),
      id: p.id,
    })) as RulesSnapshotInput['promotions'],
    couponSeries: series.map((s) => ({
      ...(s.body as object),
      id: s.id,
      name: s.name,
      promotionId: s.promotion_id,
    })) as RulesSnapshotInput['couponSeries'],
    gifts: settings.gifts,
    // Only what the engine reads: stored bodies may carry settings of other parts of the system.
    referral: settings.referral
      ? {
          levels: settings.referral.levels,
          periodDays: settings.referral.periodDays,
          terms: settings.referral.terms,
        }
      : undefined,
  };
  return { snapshot, settings };
}

/** Validates the assembled snapshot; the problem lists every issue with its path. */
export async function checkProgramme(
  db: Executor,
  merchantId: string,
): Promise<Result<PreparedRules, Problem> | null> {
  const snapshot = await loadSnapshot(db, merchantId);
  return snapshot ? prepareRules(snapshot) : null;
}

type CachedProgramme = { version: number; rules: PreparedRules; settings: StoredSettings; checkedAt: number };
const cache = new Map<string, CachedProgramme>();
// Checking the version costs a round trip per request; within this window the cached rules are
// trusted. This instance forgets them at once after its own writes; other instances see a change
// within the window ("a change in the cabinet reaches tills within seconds").
const VERSION_CHECK_MS = 1000;

/** Drops a merchant's cached rules (after a programme write on this instance). */
export function forgetPreparedRules(merchantId: string): void {
  cache.delete(merchantId);
}

/** Prepared rules for pricing, from cache when the programme has not changed. */
export async function preparedRulesFor(db: Db, merchantId: string): Promise<PreparedRules | null> {
  return (await cachedProgramme(db, merchantId))?.rules ?? null;
}

/**
 * The stored settings of the cached programme version, for server-side settings the engine does
 * not read (tier period, referral mode); null when the merchant has no programme.
 */
export async function storedSettingsFor(db: Db, merchantId: string): Promise<StoredSettings | null> {
  return (await cachedProgramme(db, merchantId))?.settings ?? null;
}

async function cachedProgramme(db: Db, merchantId: string): Promise<CachedProgramme | null> {
  const cached = cache.get(merchantId);
  const now = Date.now();
  if (cached && now - cached.checkedAt < VERSION_CHECK_MS) return cached;
  const version = await programmeVersion(db, merchantId);
  if (version === null) return null;
  if (cached && cached.version === version) {
    cached.checkedAt = now;
    return cached;
  }
  const loaded = await loadProgramme(db, merchantId);
  if (!loaded) return null;
  const prepared = prepareRules(loaded.snapshot);
  // Writes validate before committing, so a stored programme always prepares.
  if (!prepared.ok) throw new Error(`stored programme of ${merchantId} is invalid`);
  const entry = { version, rules: prepared.value, settings: loaded.settings, checkedAt: now };
  cache.set(merchantId, entry);
  return entry;
}

/** Bumps the programme version inside the writing transaction. */
export async function bumpProgrammeVersion(trx: Transaction<Database>, merchantId: string): Promise<void> {
  await trx
    .updateTable('programme_settings')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() }))
    .where('merchant_id', '=', merchantId)
    .execute();
}

// Buyers of a merchant (D1). Erased buyers stay as anonymous rows for the ledger and statistics,
// but no query here returns them.
import { sql, type Expression, type ExpressionBuilder, type SqlBool, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { BUYER_TOTAL_CAP, type BuyerListQuery } from '@loyalty/protocol/api/buyers.schema';
import type { Db } from '#db/database.ts';
import type { BuyersTable, ConsentKind, Database } from '#db/database-schema.ts';
import { pageOffset } from '#db/list-query.ts';
import { buyerConditions, type FilterContext } from './buyer-filters.ts';

/** The merchant's calendar today and time zone: ages and "days without purchase" count in it. */
export async function merchantClock(db: Db, merchantId: string, now: Date): Promise<FilterContext> {
  const row = await db
    .selectFrom('merchants')
    .select((eb) => [
      'time_zone',
      sql<string>`to_char((${now}::timestamptz AT TIME ZONE ${eb.ref('time_zone')})::date, 'YYYY-MM-DD')`.as(
        'today',
      ),
    ])
    .where('id', '=', merchantId)
    .executeTakeFirstOrThrow();
  return { merchantId, today: row.today, timeZone: row.time_zone };
}

function buyerQuery(db: Db, merchantId: string) {
  return db
    .selectFrom('buyers')
    .select((eb) => [
      'buyers.id',
      'buyers.phone',
      'buyers.email',
      'buyers.first_name',
      'buyers.last_name',
      'buyers.middle_name',
      'buyers.gender',
      // pg turns a date into a Date at local midnight, which shifts the day west of UTC.
      sql<string | null>`to_char(buyers.birth_date, 'YYYY-MM-DD')`.as('birth_date_text'),
      'buyers.card_type_id',
      'buyers.registered_at',
      'buyers.registration_store_id',
      'buyers.registration_cashier_id',
      'buyers.channel',
      'buyers.referrer_id',
      'buyers.can_invite',
      'buyers.answers',
      'buyers.favourite_category_ids',
      'buyers.tags',
      'buyers.purchases_count',
      'buyers.purchases_total',
      'buyers.last_purchase_at',
      'buyers.last_store_id',
      'buyers.balance',
      jsonArrayFrom(
        eb
          .selectFrom('cards')
          .select(['cards.id', 'cards.number', 'cards.status'])
          .whereRef('cards.merchant_id', '=', 'buyers.merchant_id')
          .whereRef('cards.buyer_id', '=', 'buyers.id')
          .where('cards.status', '!=', 'replaced')
          .orderBy('cards.created_at')
          .orderBy('cards.number'),
      ).as('cards'),
      latestConsents(eb).as('consents'),
    ])
    .where('buyers.merchant_id', '=', merchantId)
    .where('buyers.erased_at', 'is', null);
}

/** The latest record per consent kind: a withdrawal after a grant wins. */
function latestConsents(eb: ExpressionBuilder<Database, 'buyers'>) {
  return jsonArrayFrom(
    eb
      .selectFrom('buyer_consents')
      .distinctOn('buyer_consents.kind')
      .select(['buyer_consents.kind', 'buyer_consents.granted'])
      .whereRef('buyer_consents.merchant_id', '=', 'buyers.merchant_id')
      .whereRef('buyer_consents.buyer_id', '=', 'buyers.id')
      .orderBy('buyer_consents.kind')
      .orderBy('buyer_consents.recorded_at', 'desc')
      .orderBy('buyer_consents.created_at', 'desc'),
  );
}

/** A buyer with their cards and current consents. */
export type BuyerRow = Awaited<ReturnType<ReturnType<typeof buyerQuery>['executeTakeFirstOrThrow']>>;

/** One buyer of this merchant, not erased. */
export function findBuyer(db: Db, merchantId: string, id: string): Promise<BuyerRow | undefined> {
  return buyerQuery(db, merchantId).where('buyers.id', '=', id).executeTakeFirst();
}

/** The buyer with this E.164 phone, not erased. */
export function findBuyerByPhone(db: Db, merchantId: string, phone: string): Promise<BuyerRow | undefined> {
  return buyerQuery(db, merchantId).where('buyers.phone', '=', phone).executeTakeFirst();
}

/** The id of the buyer with this phone, if any (erased buyers have no phone). */
export async function buyerIdByPhone(db: Db, merchantId: string, phone: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('buyers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('phone', '=', phone)
    .executeTakeFirst();
  return row?.id;
}

/** True when the buyer exists in this merchant and is not erased. */
export async function buyerExists(db: Db, merchantId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('buyers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Sort keys as SQL, and whether the value may be empty. Each has an index on (merchant_id, key, id)
 * (migration 2026-11-22T21-30), read forwards or backwards: the order is "key, id" in the asked
 * direction, never mixed, so the first page of a million buyers is an index range, not a sort.
 */
const sortKeys = {
  registeredAt: { expr: sql`buyers.registered_at`, nullable: false },
  lastName: { expr: sql`buyers.last_name`, nullable: true },
  firstName: { expr: sql`buyers.first_name`, nullable: true },
  phone: { expr: sql`buyers.phone`, nullable: true },
  birthDate: { expr: sql`buyers.birth_date`, nullable: true },
  purchasesCount: { expr: sql`buyers.purchases_count`, nullable: false },
  purchasesTotal: { expr: sql`buyers.purchases_total`, nullable: false },
  averageCheck: {
    expr: sql`(buyers.purchases_total::numeric / NULLIF(buyers.purchases_count, 0))`,
    nullable: true,
  },
  balance: { expr: sql`buyers.balance`, nullable: false },
  lastPurchaseAt: { expr: sql`buyers.last_purchase_at`, nullable: true },
} as const satisfies Record<BuyerListQuery['sort'], { expr: unknown; nullable: boolean }>;

/**
 * The ids of one page, in order. Empty values sort last in both directions, which no single index
 * order gives for descending; so the filled values and then the empty ones are read as two index
 * ranges of offset + pageSize rows each (the empty range only when the filled one falls short),
 * and the page is cut from their union.
 */
function pageIds(db: Db, query: BuyerListQuery, context: FilterContext) {
  const key = sortKeys[query.sort];
  const where = (empty: boolean) => (eb: Eb) =>
    eb.and(
      buyerConditions(eb, query, {
        ...context,
        ...(query.sort === 'lastPurchaseAt' ? { lastPurchase: empty ? 'empty' : 'filled' } : {}),
      }),
    );
  const direction = query.order;
  const offset = pageOffset(query.page, query.pageSize);
  // A substring filter on the sort column finds rows bunched together in index order ("Коз" sits
  // in the middle of the surnames): walking the index to them read 600,000 rows (5 s). Ordering
  // by an expression no index has makes PostgreSQL take the matches from the trigram index and
  // sort them instead.
  const order = filtersSortColumn(query) ? sql`(${key.expr} || '')` : key.expr;
  // Both parts order by "key, id", so each reads its index range in order: for the empty part
  // PostgreSQL cannot tell that "key IS NULL" leaves the rows ordered by id alone.
  const part = (empty: boolean) =>
    db
      .selectFrom('buyers')
      .select([
        'buyers.id',
        // NULL in the empty part, but typed like the filled part's values, so the union holds.
        sql<unknown>`${key.expr}`.as('sort_value'),
        sql<number>`${empty ? 1 : 0}`.as('part'),
      ])
      .where(where(empty))
      .$if(key.nullable, (qb) => qb.where(key.expr, empty ? 'is' : 'is not', null))
      .orderBy(order, direction)
      .orderBy('buyers.id', direction);
  if (!key.nullable) return part(false).offset(offset).limit(query.pageSize).$castTo<PageRow>();
  const reach = offset + query.pageSize;
  return db
    .with('filled', () => part(false).limit(reach))
    .selectFrom((eb) =>
      eb
        .selectFrom('filled')
        .selectAll()
        .unionAll(
          eb
            .selectFrom(
              part(true)
                // Evaluated once, before the scan: no empty rows are read when the page is full.
                .where(sql<SqlBool>`(SELECT count(*) FROM filled) < ${reach}`)
                .limit(reach)
                .as('empty'),
            )
            .selectAll(),
        )
        .as('both'),
    )
    .selectAll()
    .orderBy('part')
    .orderBy('sort_value', direction)
    .orderBy('id', direction)
    .offset(offset)
    .limit(query.pageSize)
    .$castTo<PageRow>();
}

/** True when a substring filter (or the search box) looks into the text column the list sorts by. */
function filtersSortColumn(query: BuyerListQuery): boolean {
  const search = query.search !== undefined && query.search !== '';
  switch (query.sort) {
    case 'lastName':
      return search || query.lastName !== undefined;
    case 'firstName':
      return search || query.firstName !== undefined;
    case 'phone':
      return search || query.phone !== undefined;
    // Number and date sorts have no substring filters: their ranges are index ranges.
    case 'registeredAt':
    case 'birthDate':
    case 'purchasesCount':
    case 'purchasesTotal':
    case 'averageCheck':
    case 'balance':
    case 'lastPurchaseAt':
      return false;
  }
}

/** One row of a page's ids: the sort value and which part (filled 0, empty 1) it came from. */
type PageRow = { id: string; sort_value: unknown; part: number };

type Eb = ExpressionBuilder<Database, 'buyers'>;

/** How many buyers match, counting at most BUYER_TOTAL_CAP + 1 unless the caller wants them all. */
async function countBuyers(db: Db, where: (eb: Eb) => Expression<SqlBool>, exact: boolean) {
  const matches = db.selectFrom('buyers').select('buyers.id').where(where);
  const row = await db
    .selectFrom((exact ? matches : matches.limit(BUYER_TOTAL_CAP + 1)).as('matches'))
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const total = Number(row.total);
  return total > BUYER_TOTAL_CAP && !exact
    ? { total: BUYER_TOTAL_CAP, totalExact: false }
    : { total, totalExact: true };
}

/**
 * A filtered, sorted page of buyers with the total; empty values sort last either way. Counting a
 * million matches costs more than the page itself, so beyond BUYER_TOTAL_CAP the total is the cap
 * (`totalExact: false`) unless `exactTotal` asks for all of them.
 */
export async function listBuyers(
  db: Db,
  query: BuyerListQuery,
  context: FilterContext,
): Promise<{ rows: BuyerRow[]; total: number; totalExact: boolean }> {
  const where = (eb: Eb) => eb.and(buyerConditions(eb, query, context));
  const direction = query.order;
  const [rows, count] = await Promise.all([
    // Cards and consents are built for the page's rows only, after the page is cut.
    buyerQuery(db, context.merchantId)
      .innerJoin(pageIds(db, query, context).as('page'), 'page.id', 'buyers.id')
      .orderBy('page.part')
      .orderBy('page.sort_value', direction)
      .orderBy('buyers.id', direction)
      .execute(),
    countBuyers(db, where, query.exactTotal === 'true'),
  ]);
  return { rows, ...count };
}

/** Columns a create writes. */
export type BuyerValues = {
  phone: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  middleName: string | null;
  gender: 'male' | 'female' | null;
  birthDate: string | null;
  channel: BuyersTable['channel'];
  registrationStoreId: string | null;
  registrationCashierId: string | null;
  referrerId: string | null;
  /** False when absent (imports never grant it). */
  canInvite?: boolean;
  answers: Record<string, string | number>;
  favouriteCategoryIds: string[];
  tags: string[];
};

/** Inserts a buyer; returns the id. */
export async function insertBuyer(db: Db, merchantId: string, values: BuyerValues): Promise<string> {
  const row = await db
    .insertInto('buyers')
    .values({
      merchant_id: merchantId,
      phone: values.phone,
      email: values.email,
      first_name: values.firstName,
      last_name: values.lastName,
      middle_name: values.middleName,
      gender: values.gender,
      birth_date: values.birthDate,
      channel: values.channel,
      registration_store_id: values.registrationStoreId,
      registration_cashier_id: values.registrationCashierId,
      referrer_id: values.referrerId,
      can_invite: values.canInvite ?? false,
      answers: JSON.stringify(values.answers),
      favourite_category_ids: values.favouriteCategoryIds,
      tags: values.tags,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Writes changed columns of a buyer. */
export async function updateBuyer(
  db: Db,
  merchantId: string,
  id: string,
  change: Updateable<BuyersTable>,
): Promise<void> {
  await db
    .updateTable('buyers')
    .set({ ...change, updated_at: new Date() })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}

/**
 * Right to erasure (D1): blanks everything that identifies the person, keeps the anonymous row so
 * the points ledger, receipts and statistics still add up. False when already erased or absent.
 */
export async function eraseBuyer(db: Db, merchantId: string, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('buyers')
    .set({
      phone: null,
      email: null,
      first_name: null,
      last_name: null,
      middle_name: null,
      gender: null,
      birth_date: null,
      answers: '{}',
      tags: [],
      erased_at: now,
      updated_at: now,
    })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Removes the personal values from the payloads of failed terminal ops about this buyer (or one of
 * its till-made aliases): a dead letter keeps what the till sent, registrations included.
 */
export async function redactBuyerDeadLetters(db: Db, merchantId: string, buyerId: string): Promise<void> {
  const keys = [...personalFields, 'referrerPhone'];
  await sql`
    UPDATE sync_dead_letters
    SET payload = ((payload::jsonb) - ${keys}::text[])::text
    WHERE merchant_id = ${merchantId}
      AND kind IN ('buyer_registration', 'buyer_update', 'buyer_consent')
      AND jsonb_typeof(payload::jsonb) = 'object'
      AND (payload::jsonb ->> 'buyerId') IN (
        SELECT ${buyerId}::text
        UNION ALL
        SELECT alias_id::text FROM buyer_aliases WHERE merchant_id = ${merchantId} AND buyer_id = ${buyerId}
      )`.execute(db);
}

/** Removes the personal values from every audit entry about this buyer; who did what stays. */
export async function redactBuyerAudit(db: Db, merchantId: string, buyerId: string): Promise<void> {
  const keys = [...personalFields];
  await db
    .updateTable('audit_log')
    .set({
      before: sql<string>`before - ${keys}::text[]`,
      after: sql<string>`after - ${keys}::text[]`,
    })
    .where('merchant_id', '=', merchantId)
    .where('entity', '=', 'buyer')
    .where('entity_id', '=', buyerId)
    .execute();
}

const consentKinds: readonly ConsentKind[] = ['sms', 'advertising', 'email', 'messenger'];

/** The public view of a buyer. */
export function buyerView(row: BuyerRow) {
  const consents = Object.fromEntries(consentKinds.map((kind) => [kind, false])) as Record<
    ConsentKind,
    boolean
  >;
  for (const consent of row.consents) consents[consent.kind] = consent.granted;
  return {
    id: row.id,
    phone: row.phone,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    middleName: row.middle_name,
    gender: row.gender,
    birthDate: row.birth_date_text,
    cardTypeId: row.card_type_id,
    registeredAt: row.registered_at.toISOString(),
    registrationStoreId: row.registration_store_id,
    registrationCashierId: row.registration_cashier_id,
    channel: row.channel,
    referrerId: row.referrer_id,
    canInvite: row.can_invite,
    answers: row.answers,
    favouriteCategoryIds: row.favourite_category_ids,
    tags: row.tags,
    stats: {
      purchasesCount: row.purchases_count,
      purchasesTotal: row.purchases_total,
      averageCheck: row.purchases_count > 0 ? Math.round(row.purchases_total / row.purchases_count) : null,
      lastPurchaseAt: row.last_purchase_at?.toISOString() ?? null,
      lastStoreId: row.last_store_id,
      balance: row.balance,
    },
    consents,
    cards: row.cards,
  };
}

/** The buyer view fields that identify a person: what erasure removes, also from the audit trail. */
export const personalFields = [
  'phone',
  'email',
  'firstName',
  'lastName',
  'middleName',
  'gender',
  'birthDate',
  'answers',
  'tags',
] as const;

/** Most tags the editor offers: a merchant tags groups of buyers, not each buyer differently. */
const TAGS_SHOWN = 500;

/** The merchant's buyer tags with their buyer counts, most used first (erased buyers left out). */
export async function buyerTagCounts(
  db: Db,
  merchantId: string,
): Promise<Array<{ tag: string; buyers: number }>> {
  const result = await sql<{ tag: string; buyers: number }>`
    SELECT tag, count(*)::int AS buyers
      FROM buyers, unnest(buyers.tags) AS tag
     WHERE buyers.merchant_id = ${merchantId} AND buyers.erased_at IS NULL AND buyers.tags <> '{}'
     GROUP BY tag
     ORDER BY buyers DESC, tag
     LIMIT ${TAGS_SHOWN}`.execute(db);
  return result.rows;
}

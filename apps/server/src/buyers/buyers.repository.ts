// Buyers of a merchant (D1). Erased buyers stay as anonymous rows for the ledger and statistics,
// but no query here returns them.
import { sql, type ExpressionBuilder, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { BuyerListQuery } from '@loyalty/protocol/api/buyers.schema';
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

const sortColumns = {
  registeredAt: sql`buyers.registered_at`,
  lastName: sql`buyers.last_name`,
  firstName: sql`buyers.first_name`,
  phone: sql`buyers.phone`,
  birthDate: sql`buyers.birth_date`,
  purchasesCount: sql`buyers.purchases_count`,
  purchasesTotal: sql`buyers.purchases_total`,
  averageCheck: sql`(buyers.purchases_total::numeric / NULLIF(buyers.purchases_count, 0))`,
  balance: sql`buyers.balance`,
  lastPurchaseAt: sql`buyers.last_purchase_at`,
} as const satisfies Record<BuyerListQuery['sort'], unknown>;

/** A filtered, sorted page of buyers with the total; empty values sort last either way. */
export async function listBuyers(
  db: Db,
  query: BuyerListQuery,
  context: FilterContext,
): Promise<{ rows: BuyerRow[]; total: number }> {
  const where = (eb: ExpressionBuilder<Database, 'buyers'>) => eb.and(buyerConditions(eb, query, context));
  const [rows, count] = await Promise.all([
    buyerQuery(db, context.merchantId)
      .where(where)
      .orderBy(sortColumns[query.sort], (ob) => (query.order === 'asc' ? ob.asc() : ob.desc()).nullsLast())
      .orderBy('buyers.id')
      .limit(query.pageSize)
      .offset(pageOffset(query.page, query.pageSize))
      .execute(),
    db
      .selectFrom('buyers')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where(where)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.total };
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

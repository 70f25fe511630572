// The D1 buyer filters as SQL conditions, one small function per filter. Range filters keep the
// column bare on one side so the (merchant_id, column) indexes of the buyers migration apply.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { BuyerListQuery } from '@loyalty/protocol/api/buyers.schema';
import type { BuyerChannel, Database } from '#db/database-schema.ts';
import { containsPattern } from '#db/list-query.ts';
import { normalizePhone } from '@loyalty/core/phones/phone-number';
import { phoneOrRefuse } from './phone-number.ts';

type Eb = ExpressionBuilder<Database, 'buyers'>;
type Condition = Expression<SqlBool>;

/** What the filters need besides the query: whose buyers, and the merchant's calendar. */
export type FilterContext = {
  merchantId: string;
  today: string;
  timeZone: string;
  /**
   * Set when the caller also restricts to buyers who have bought ('filled') or never have
   * ('empty'), as the list does when it sorts by last purchase: "days without purchase" then
   * becomes a plain range on that column, which its index reads in sort order.
   */
  lastPurchase?: 'filled' | 'empty';
};

/** The filter part of the list query. */
export type BuyerFilters = Omit<BuyerListQuery, 'page' | 'pageSize' | 'sort' | 'order' | 'exactTotal'>;

const digitsOf = (text: string) => text.replace(/\D/g, '');

/** A value cast to a SQL type, or undefined when the bound is not given. */
const typed = (value: string | undefined, type: 'date' | 'numeric') =>
  value === undefined ? undefined : sql`${value}::${sql.raw(type)}`;

/** Both ends included; an absent end leaves that side open. */
function range(column: Expression<unknown>, from: unknown, to: unknown): Condition[] {
  const parts: Condition[] = [];
  if (from !== undefined) parts.push(sql<SqlBool>`${column} >= ${from}`);
  if (to !== undefined) parts.push(sql<SqlBool>`${column} <= ${to}`);
  return parts;
}

const byCardType = (eb: Eb, ids: string[]) => eb('buyers.card_type_id', 'in', ids);
const byRegistrationStore = (eb: Eb, ids: string[]) => eb('buyers.registration_store_id', 'in', ids);
const byLastStore = (eb: Eb, ids: string[]) => eb('buyers.last_store_id', 'in', ids);
const byRegistrationCashier = (eb: Eb, ids: string[]) => eb('buyers.registration_cashier_id', 'in', ids);
const byChannel = (eb: Eb, channels: BuyerChannel[]) => eb('buyers.channel', 'in', channels);
const byGender = (eb: Eb, gender: 'male' | 'female') => eb('buyers.gender', '=', gender);

/** Holds a card (not a replaced one) whose number lies in the range, compared as numbers. */
const byCardNumberRange = (eb: Eb, from: string | undefined, to: string | undefined) =>
  eb.exists(
    eb
      .selectFrom('cards')
      .select('cards.id')
      .whereRef('cards.merchant_id', '=', 'buyers.merchant_id')
      .whereRef('cards.buyer_id', '=', 'buyers.id')
      .where('cards.status', '!=', 'replaced')
      .where((inner) =>
        inner.and(range(sql`(cards.number::numeric)`, typed(from, 'numeric'), typed(to, 'numeric'))),
      ),
  );

const byReferred = (eb: Eb, referred: boolean) => eb('buyers.referrer_id', referred ? 'is not' : 'is', null);

/** Was recommended by one of these people (by their phones). */
const byReferrerPhone = (eb: Eb, phones: string[]) =>
  eb(
    'buyers.referrer_id',
    'in',
    eb
      .selectFrom('buyers as referrer')
      .select('referrer.id')
      .whereRef('referrer.merchant_id', '=', 'buyers.merchant_id')
      .where(
        'referrer.phone',
        'in',
        phones.map((phone, i) => phoneOrRefuse(phone, `querystring.referrerPhone.${i}`)),
      ),
  );

/** Has recommended at least one buyer (or none, with false). */
const byIsReferrer = (eb: Eb, isReferrer: boolean) => {
  const referred = eb.exists(
    eb
      .selectFrom('buyers as referred')
      .select('referred.id')
      .whereRef('referred.merchant_id', '=', 'buyers.merchant_id')
      .whereRef('referred.referrer_id', '=', 'buyers.id'),
  );
  return isReferrer ? referred : eb.not(referred);
};

/** Allowed (or not) to invite in the invite-only referral mode; `true` uses the partial index. */
const byCanInvite = (eb: Eb, canInvite: boolean) => eb('buyers.can_invite', '=', canInvite);

/** A full number matches exactly; a fragment matches anywhere in the digits. */
function byPhone(eb: Eb, text: string): Condition {
  const phone = normalizePhone(text);
  if (phone.ok) return eb('buyers.phone', '=', phone.value);
  const digits = digitsOf(text);
  // Nothing to look for: answer as for any malformed phone.
  if (!digits) return eb('buyers.phone', '=', phoneOrRefuse(text, 'querystring.phone'));
  return eb('buyers.phone', 'like', `%${digits}%`);
}

// Substring search runs on one trigram index over the folded names and e-mail
// (buyers_search_trgm_idx, migration 2026-11-22T21-30): pg_trgm under the cluster's C locale
// treats Cyrillic as punctuation and would index nothing, so Cyrillic is folded to Latin letters
// first. The folding is lossy (ё/е, ш/щ...) and Latin in e-mails collides with it: the index only
// narrows the rows, and an exact check decides. The check lowers both sides under the ICU root
// collation (which folds Cyrillic case too, so "иван" finds "Иванов"), as ILIKE would; written as
// strpos so the planner does not take it for a second, independent pattern and underestimate
// the matches (it then sorted 60,000 rows instead of reading the sort index).
const FOLD_FROM = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя';
const FOLD_TO = 'abvgdeejzijklmnoprstufhccwwxyqeua';

/** Names and e-mail in one line, as the search box matches them ("Иванов Иван" finds Ivan Ivanov). */
const fullText = sql`(coalesce(buyers.last_name, '') || ' ' || coalesce(buyers.first_name, '') || ' ' || coalesce(buyers.middle_name, '') || ' ' || coalesce(buyers.email, ''))`;

/** Exactly the expression buyers_search_trgm_idx indexes; any difference and the index is not used. */
const searchText = sql`translate(lower(${fullText} COLLATE "und-x-icu"), ${sql.lit(FOLD_FROM)}, ${sql.lit(FOLD_TO)})`;

/** `text` occurs in `value`, ignoring case (Cyrillic included); found through the trigram index. */
function contains(value: Expression<unknown>, text: string): Condition {
  const pattern = containsPattern(text);
  return sql<SqlBool>`(${searchText} LIKE translate(lower(${pattern}::text COLLATE "und-x-icu"), ${sql.lit(FOLD_FROM)}, ${sql.lit(FOLD_TO)})
    AND strpos(lower(${value} COLLATE "und-x-icu"), lower(${text}::text COLLATE "und-x-icu")) > 0)`;
}

/** Case-insensitive "contains" on one column. */
const columnContains = (column: 'email' | 'last_name' | 'first_name' | 'middle_name', text: string) =>
  contains(sql.ref(`buyers.${column}`), text);

const byEmail = (_eb: Eb, text: string) => columnContains('email', text);
const byLastName = (_eb: Eb, text: string) => columnContains('last_name', text);
const byFirstName = (_eb: Eb, text: string) => columnContains('first_name', text);
const byMiddleName = (_eb: Eb, text: string) => columnContains('middle_name', text);

/**
 * Age in full years on the merchant's today: at least `from` means born on or before today minus
 * `from` years; at most `to` means born after today minus `to + 1` years.
 */
function byAge(eb: Eb, from: number | undefined, to: number | undefined, today: string): Condition {
  const parts: Condition[] = [];
  if (from !== undefined)
    parts.push(
      sql<SqlBool>`buyers.birth_date <= (${today}::date - make_interval(years => ${from}::int))::date`,
    );
  if (to !== undefined)
    parts.push(
      sql<SqlBool>`buyers.birth_date > (${today}::date - make_interval(years => ${to + 1}::int))::date`,
    );
  return eb.and(parts);
}

const byBirthDate = (eb: Eb, from: string | undefined, to: string | undefined) =>
  eb.and(range(sql`buyers.birth_date`, typed(from, 'date'), typed(to, 'date')));

/** Local midnight of a date in the merchant's zone, as an instant. */
const localMidnight = (date: Expression<unknown>, timeZone: string) =>
  sql`((${date})::timestamp AT TIME ZONE ${timeZone})`;

/** Registered on these calendar days of the merchant, both ends included. */
function byRegistered(eb: Eb, from: string | undefined, to: string | undefined, timeZone: string): Condition {
  const parts: Condition[] = [];
  if (from !== undefined)
    parts.push(sql<SqlBool>`buyers.registered_at >= ${localMidnight(sql`${from}::date`, timeZone)}`);
  if (to !== undefined)
    parts.push(sql<SqlBool>`buyers.registered_at < ${localMidnight(sql`${to}::date + 1`, timeZone)}`);
  return eb.and(parts);
}

/**
 * Bought one of these products (our ids or the merchant's SKUs as sent by the till) within the
 * period, in the merchant's days; receipts fully returned still count as a purchase made.
 */
function byProductBought(
  products: string[],
  from: string | undefined,
  to: string | undefined,
  timeZone: string,
): Condition {
  const period: Condition[] = [];
  if (from !== undefined)
    period.push(sql<SqlBool>`r.created_at >= ${localMidnight(sql`${from}::date`, timeZone)}`);
  if (to !== undefined)
    period.push(sql<SqlBool>`r.created_at < ${localMidnight(sql`${to}::date + 1`, timeZone)}`);
  const when = period.length > 0 ? sql`AND ${sql.join(period, sql` AND `)}` : sql``;
  return sql<SqlBool>`EXISTS (
    SELECT 1 FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id
    WHERE r.merchant_id = buyers.merchant_id AND r.buyer_id = buyers.id
      AND l.product_id IN (${sql.join(products)}) ${when})`;
}

/** Average check in kopecks; buyers without purchases have none and never match. */
const byAverageCheck = (eb: Eb, from: number | undefined, to: number | undefined) =>
  eb.and(range(sql`(buyers.purchases_total::numeric / NULLIF(buyers.purchases_count, 0))`, from, to));

const byPurchasesTotal = (eb: Eb, from: number | undefined, to: number | undefined) =>
  eb.and(range(sql`buyers.purchases_total`, from, to));
const byPurchasesCount = (eb: Eb, from: number | undefined, to: number | undefined) =>
  eb.and(range(sql`buyers.purchases_count`, from, to));
const byBalance = (eb: Eb, from: number | undefined, to: number | undefined) =>
  eb.and(range(sql`buyers.balance`, from, to));

/**
 * Calendar days in the merchant's zone since the last purchase; a buyer who never bought counts
 * from registration, so "30+ days without purchase" also finds those who signed up and never came.
 */
function byDaysWithoutPurchase(
  eb: Eb,
  from: number | undefined,
  to: number | undefined,
  context: FilterContext,
): Condition {
  const last =
    context.lastPurchase === 'filled'
      ? sql`buyers.last_purchase_at`
      : context.lastPurchase === 'empty'
        ? sql`buyers.registered_at`
        : sql`COALESCE(buyers.last_purchase_at, buyers.registered_at)`;
  const parts: Condition[] = [];
  if (from !== undefined)
    parts.push(
      sql<SqlBool>`${last} < ${localMidnight(sql`${context.today}::date - ${from - 1}::int`, context.timeZone)}`,
    );
  if (to !== undefined)
    parts.push(
      sql<SqlBool>`${last} >= ${localMidnight(sql`${context.today}::date - ${to}::int`, context.timeZone)}`,
    );
  return eb.and(parts);
}

/**
 * The table's search box: names and e-mail by text (across fields), phone and card number by
 * digits. Every branch has its own index (trigrams on the names, on phone, on card numbers), so
 * PostgreSQL can OR their bitmaps; the cards are looked up once, not per buyer.
 */
function bySearch(eb: Eb, text: string, merchantId: string): Condition {
  const options: Condition[] = [contains(fullText, text)];
  const digits = digitsOf(text);
  if (digits.length >= 3) {
    options.push(eb('buyers.phone', 'like', `%${digits}%`));
    options.push(
      sql<SqlBool>`buyers.id = ANY(ARRAY(
        SELECT cards.buyer_id FROM cards
        WHERE cards.merchant_id = ${merchantId} AND cards.buyer_id IS NOT NULL
          AND cards.number LIKE ${`%${digits}%`}))`,
    );
  }
  return eb.or(options);
}

const either = <T>(a: T | undefined, b: T | undefined) => a !== undefined || b !== undefined;

/** Every condition the query asks for, always within one merchant and without erased buyers. */
export function buyerConditions(eb: Eb, f: BuyerFilters, context: FilterContext): Condition[] {
  const c: Condition[] = [
    eb('buyers.merchant_id', '=', context.merchantId),
    eb('buyers.erased_at', 'is', null),
  ];
  if (f.cardTypeId) c.push(byCardType(eb, f.cardTypeId));
  if (f.registrationStoreId) c.push(byRegistrationStore(eb, f.registrationStoreId));
  if (f.lastStoreId) c.push(byLastStore(eb, f.lastStoreId));
  if (f.registrationCashierId) c.push(byRegistrationCashier(eb, f.registrationCashierId));
  if (either(f.cardNumberFrom, f.cardNumberTo))
    c.push(byCardNumberRange(eb, f.cardNumberFrom, f.cardNumberTo));
  if (f.channel) c.push(byChannel(eb, f.channel));
  if (f.referred) c.push(byReferred(eb, f.referred === 'true'));
  if (f.referrerPhone) c.push(byReferrerPhone(eb, f.referrerPhone));
  if (f.isReferrer) c.push(byIsReferrer(eb, f.isReferrer === 'true'));
  if (f.canInvite) c.push(byCanInvite(eb, f.canInvite === 'true'));
  if (f.phone !== undefined) c.push(byPhone(eb, f.phone));
  if (f.email !== undefined) c.push(byEmail(eb, f.email));
  if (f.lastName !== undefined) c.push(byLastName(eb, f.lastName));
  if (f.firstName !== undefined) c.push(byFirstName(eb, f.firstName));
  if (f.middleName !== undefined) c.push(byMiddleName(eb, f.middleName));
  if (f.gender) c.push(byGender(eb, f.gender));
  if (either(f.ageFrom, f.ageTo)) c.push(byAge(eb, f.ageFrom, f.ageTo, context.today));
  if (either(f.birthDateFrom, f.birthDateTo)) c.push(byBirthDate(eb, f.birthDateFrom, f.birthDateTo));
  if (either(f.registeredFrom, f.registeredTo))
    c.push(byRegistered(eb, f.registeredFrom, f.registeredTo, context.timeZone));
  if (either(f.averageCheckFrom, f.averageCheckTo))
    c.push(byAverageCheck(eb, f.averageCheckFrom, f.averageCheckTo));
  if (either(f.purchasesTotalFrom, f.purchasesTotalTo))
    c.push(byPurchasesTotal(eb, f.purchasesTotalFrom, f.purchasesTotalTo));
  if (either(f.purchasesCountFrom, f.purchasesCountTo))
    c.push(byPurchasesCount(eb, f.purchasesCountFrom, f.purchasesCountTo));
  if (either(f.balanceFrom, f.balanceTo)) c.push(byBalance(eb, f.balanceFrom, f.balanceTo));
  if (either(f.daysWithoutPurchaseFrom, f.daysWithoutPurchaseTo))
    c.push(byDaysWithoutPurchase(eb, f.daysWithoutPurchaseFrom, f.daysWithoutPurchaseTo, context));
  if (f.boughtProductId)
    c.push(byProductBought(f.boughtProductId, f.boughtFrom, f.boughtTo, context.timeZone));
  if (f.search !== undefined && f.search !== '') c.push(bySearch(eb, f.search, context.merchantId));
  return c;
}

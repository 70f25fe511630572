// Set-based reads and writes for imports: a file of 100,000 rows is checked with a few hundred
// queries, not a few per row. Every statement is scoped by merchant_id. Lists go to PostgreSQL in
// chunks that stay far below its 65,535 bind parameters per statement.
import { sql } from 'kysely';
import type { BuyerValues } from '#buyers/buyers.repository.ts';
import type { ConsentInput } from '#buyers/consents.repository.ts';
import type { ProductFields } from '#catalogue/products.repository.ts';
import type { Db } from '#db/database.ts';

const CHUNK = 1000;

/** The list in consecutive slices of at most `size`. */
export function chunked<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const distinct = (values: readonly string[]) => [...new Set(values)];

/** Live buyers holding these E.164 phones, by phone. */
export async function buyerIdsByPhone(db: Db, merchantId: string, phones: readonly string[]) {
  const found = new Map<string, string>();
  for (const part of chunked(distinct(phones))) {
    const rows = await db
      .selectFrom('buyers')
      .select(['id', 'phone'])
      .where('merchant_id', '=', merchantId)
      .where('erased_at', 'is', null)
      .where('phone', 'in', part)
      .execute();
    for (const row of rows) if (row.phone) found.set(row.phone, row.id);
  }
  return found;
}

/** A card as an import checks it: its state, its holder and the kind of its series. */
export type ImportCard = {
  id: string;
  number: string;
  status: 'issued' | 'active' | 'blocked' | 'replaced';
  buyer_id: string | null;
  buyer_erased: boolean;
  series_kind: 'personal' | 'anonymous' | null;
};

/** Cards with these numbers, by number. */
export async function cardsByNumber(db: Db, merchantId: string, numbers: readonly string[]) {
  const found = new Map<string, ImportCard>();
  for (const part of chunked(distinct(numbers))) {
    const rows = await db
      .selectFrom('cards')
      .leftJoin('card_series', (join) =>
        join
          .onRef('card_series.id', '=', 'cards.series_id')
          .onRef('card_series.merchant_id', '=', 'cards.merchant_id'),
      )
      .leftJoin('buyers', (join) =>
        join.onRef('buyers.id', '=', 'cards.buyer_id').onRef('buyers.merchant_id', '=', 'cards.merchant_id'),
      )
      .select([
        'cards.id',
        'cards.number',
        'cards.status',
        'cards.buyer_id',
        'card_series.kind as series_kind',
        sql<boolean>`buyers.erased_at IS NOT NULL`.as('buyer_erased'),
      ])
      .where('cards.merchant_id', '=', merchantId)
      .where('cards.number', 'in', part)
      .execute();
    for (const row of rows) found.set(row.number, row);
  }
  return found;
}

/** SKUs any product of the merchant already has, archived ones included (as createProduct). */
export async function takenSkus(db: Db, merchantId: string, skus: readonly string[]) {
  const taken = new Set<string>();
  for (const part of chunked(distinct(skus))) {
    const rows = await db
      .selectFrom('products')
      .select('sku')
      .where('merchant_id', '=', merchantId)
      .where('sku', 'in', part)
      .execute();
    for (const row of rows) taken.add(row.sku);
  }
  return taken;
}

/** Barcodes an active product already carries (archived products free theirs). */
export async function takenBarcodes(db: Db, merchantId: string, barcodes: readonly string[]) {
  const taken = new Set<string>();
  for (const part of chunked(distinct(barcodes))) {
    const rows = await sql<{ barcode: string }>`
      SELECT DISTINCT b.barcode
      FROM products p, unnest(p.barcodes) AS b(barcode)
      WHERE p.merchant_id = ${merchantId} AND p.archived_at IS NULL
        AND p.barcodes && ${part}::text[] AND b.barcode = ANY(${part}::text[])`.execute(db);
    for (const row of rows.rows) taken.add(row.barcode);
  }
  return taken;
}

/** Buyers who already received an opening balance, so a file imported twice is refused. */
export async function buyersWithOpeningBalance(db: Db, merchantId: string, buyerIds: readonly string[]) {
  const found = new Set<string>();
  for (const part of chunked(distinct(buyerIds))) {
    const rows = await db
      .selectFrom('ledger_entries')
      .select('buyer_id')
      .distinct()
      .where('merchant_id', '=', merchantId)
      .where('kind', '=', 'opening_balance')
      .where('buyer_id', 'in', part)
      .execute();
    for (const row of rows) found.add(row.buyer_id);
  }
  return found;
}

/** Inserts buyers with ids chosen by the caller, so their consents and cards can follow. */
export async function insertBuyers(
  db: Db,
  merchantId: string,
  buyers: ReadonlyArray<BuyerValues & { id: string }>,
): Promise<void> {
  for (const part of chunked(buyers, 500))
    await db
      .insertInto('buyers')
      .values(
        part.map((b) => ({
          id: b.id,
          merchant_id: merchantId,
          phone: b.phone,
          email: b.email,
          first_name: b.firstName,
          last_name: b.lastName,
          middle_name: b.middleName,
          gender: b.gender,
          birth_date: b.birthDate,
          channel: b.channel,
          registration_store_id: b.registrationStoreId,
          registration_cashier_id: b.registrationCashierId,
          referrer_id: b.referrerId,
          answers: JSON.stringify(b.answers),
          favourite_category_ids: b.favouriteCategoryIds,
          tags: b.tags,
        })),
      )
      .execute();
}

/** Appends consent records; one without its own time is stamped `now`. */
export async function insertConsentRecords(
  db: Db,
  merchantId: string,
  consents: ReadonlyArray<{ buyerId: string; consent: ConsentInput }>,
  now: Date,
): Promise<void> {
  for (const part of chunked(consents))
    await db
      .insertInto('buyer_consents')
      .values(
        part.map(({ buyerId, consent }) => ({
          merchant_id: merchantId,
          buyer_id: buyerId,
          kind: consent.kind,
          granted: consent.granted,
          channel: consent.channel,
          text_version: consent.textVersion ?? null,
          code: consent.code ?? null,
          cashier_id: consent.cashierId ?? null,
          recorded_at: consent.recordedAt ?? now,
        })),
      )
      .execute();
}

/**
 * Gives free cards to buyers, with the condition attachCard uses (issued or active, no holder);
 * returns how many were given, so the caller can tell a card taken meanwhile.
 */
export async function attachCards(
  db: Db,
  merchantId: string,
  pairs: ReadonlyArray<{ cardId: string; buyerId: string }>,
  now: Date,
): Promise<number> {
  let attached = 0;
  for (const part of chunked(pairs)) {
    const result = await sql`
      UPDATE cards SET buyer_id = given.buyer_id, status = 'active',
        activated_at = COALESCE(cards.activated_at, ${now}::timestamptz)
      FROM unnest(${part.map((p) => p.cardId)}::uuid[], ${part.map((p) => p.buyerId)}::uuid[])
        AS given(card_id, buyer_id)
      WHERE cards.merchant_id = ${merchantId} AND cards.id = given.card_id
        AND cards.status IN ('issued', 'active') AND cards.buyer_id IS NULL`.execute(db);
    attached += Number(result.numAffectedRows ?? 0n);
  }
  return attached;
}

/** Inserts products. */
export async function insertProducts(db: Db, merchantId: string, products: readonly ProductFields[]) {
  for (const part of chunked(products, 500))
    await db
      .insertInto('products')
      .values(
        part.map((p) => ({
          merchant_id: merchantId,
          category_id: p.categoryId,
          sku: p.sku,
          name: p.name,
          price: p.price,
          min_price: p.minPrice,
          barcodes: p.barcodes,
          no_discount: p.noDiscount,
          no_accrual: p.noAccrual,
          no_points_payment: p.noPointsPayment,
          unit: p.unit,
        })),
      )
      .execute();
}

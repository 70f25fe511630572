// Everything a receipt posting reads, in ONE round trip: the buyer's row, the buyer's live lots, the points other holds reserve, whether the sale's own hold is still live,
// the referrer chain (C8) and the catalogue rows of the receipt's products. The confirm path is
// dominated by round trips to PostgreSQL, so this replaces five separate queries.
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { BuyerState } from '@loyalty/core/engine/calculation-input.schema';
import { points } from '@loyalty/core/money/money';
import { genericPlanDb, type Db } from '#db/database.ts';
import { PREPARED } from '#db/prepared-statements.ts';
import { TurnBatch } from '#db/turn-batch.ts';
import type { ReferralMode } from '#buyers/referral-policy.ts';
import { referrerChainJson, referrersFrom, type ChainRow } from '#buyers/referrer-chain.ts';
import type { Database } from '#db/database-schema.ts';
import type { BuyerStateRow } from './buyer-state.ts';

type Trx = Transaction<Database>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A catalogue row as the engine's line enrichment needs it. */
export type CatalogueRow = {
  id: string;
  sku: string | null;
  category_id: string | null;
  min_price: number;
  no_discount: boolean;
  no_accrual: boolean;
  no_points_payment: boolean;
};

/** What the read needs besides the buyer's key. */
export type PostingReadOptions = {
  now: Date;
  /** The sale's own hold: reported live or not, and left out of the points reserved. */
  holdId: string | null;
  /** Products of the receipt, by our id or the merchant's SKU. */
  productKeys: readonly string[];
  defaultCardTypeId: string;
  /** Who earns referral rewards (C8); only pricing reads the referrers. */
  referralMode: ReferralMode;
};

/** What a posting knows after the read. */
export type PostingContext = {
  /** The buyers row as read (version included); null for an anonymous receipt. */
  row: BuyerStateRow | null;
  /** The engine's view of that buyer; null for an anonymous receipt. */
  buyer: BuyerState | null;
  /** True when the sale names a hold that is live and belongs to this buyer. */
  holdLive: boolean;
  products: CatalogueRow[];
};

/** How the posting finds its buyer: by id (also a row already locked), phone or card. */
export type BuyerKey = { buyerId: string } | { phone: string } | { cardNumber: string };

type RawBuyer = Omit<BuyerStateRow, 'registered_at'> & { registered_at: string };
type Raw = {
  buyer: RawBuyer | null;
  lots: Array<{ id: string; remaining: number; activates_at: string; expires_at: string | null }> | null;
  reserved: string | number | null;
  hold_live: boolean | null;
  referrers: ChainRow[] | null;
  products: CatalogueRow[] | null;
};

function buyerWhere(merchantId: string, key: BuyerKey) {
  if ('buyerId' in key) return sql`id = ${key.buyerId}::uuid`;
  if ('phone' in key) return sql`phone = ${key.phone}`;
  // Only an active card identifies its buyer; the caller explains other card states.
  return sql`id = (SELECT buyer_id FROM cards WHERE merchant_id = ${merchantId}
                    AND number = ${key.cardNumber} AND status = 'active')`;
}

/**
 * A scalar subquery: the catalogue rows of the products named by `keys` (our ids or the
 * merchant's SKUs) as a JSON array of CatalogueRow, or NULL when none is known.
 */
function catalogueJson(merchantId: string, keys: readonly string[]): RawBuilder<CatalogueRow[] | null> {
  const ids = keys.filter((k) => UUID.test(k));
  return sql<CatalogueRow[] | null>`(
    SELECT json_agg(json_build_object('id', id, 'sku', sku, 'category_id', category_id,
                                      'min_price', min_price, 'no_discount', no_discount,
                                      'no_accrual', no_accrual, 'no_points_payment', no_points_payment))
      FROM products
     WHERE id IN (SELECT id FROM products WHERE merchant_id = ${merchantId} AND sku = ANY(${keys}::text[])
                  UNION ALL
                  SELECT id FROM products WHERE merchant_id = ${merchantId} AND id = ANY(${ids}::uuid[])))`;
}

/**
 * Reads the posting context in one statement, so everything in it comes from one snapshot:
 * the buyer's row (found by key), live lots, points reserved by other holds, the sale's own
 * hold, the referrer chain and the catalogue rows. Without a lock the snapshot may be stale by
 * the time of writing; the posting statement then refuses on the row's version (optimistic
 * path). Called after locking the row, it stays true until commit.
 */
export async function readPostingContext(
  db: Trx | Db,
  merchantId: string,
  key: BuyerKey | null,
  options: PostingReadOptions,
): Promise<PostingContext> {
  const keys = [...new Set(options.productKeys)];
  const where = key ? buyerWhere(merchantId, key) : sql`false`;
  const result = await sql<Raw>`${PREPARED}
    WITH b AS (
      SELECT id, balance, card_type_id, debt, purchases_count, purchases_total, registered_at, referrer_id,
             favourite_category_ids, tags, version
        FROM buyers WHERE merchant_id = ${merchantId} AND erased_at IS NULL AND ${where}
    )
    SELECT
      (SELECT row_to_json(b) FROM b) AS buyer,
      (SELECT json_agg(json_build_object('id', id, 'remaining', remaining,
                                         'activates_at', activates_at, 'expires_at', expires_at))
         FROM point_lots WHERE buyer_id = (SELECT id FROM b) AND remaining > 0) AS lots,
      (SELECT coalesce(sum(points), 0) FROM point_holds
         WHERE buyer_id = (SELECT id FROM b) AND status = 'active' AND expires_at > ${options.now}
           AND id IS DISTINCT FROM ${options.holdId}::uuid) AS reserved,
      (SELECT status = 'active' AND expires_at > ${options.now} FROM point_holds
         WHERE id = ${options.holdId}::uuid AND merchant_id = ${merchantId}
           AND buyer_id = (SELECT id FROM b)) AS hold_live,
      ${referrerChainJson(merchantId)} AS referrers,
      ${catalogueJson(merchantId, keys)} AS products`.execute(genericPlanDb(db));
  const raw = result.rows[0];
  return contextFrom(raw?.buyer ? raw : null, raw?.products ?? [], options);
}

/** The posting context from what a read answered about the buyer (null: none found). */
function contextFrom(
  raw: Omit<Raw, 'products'> | null,
  products: CatalogueRow[],
  options: PostingReadOptions,
): PostingContext {
  if (!raw?.buyer) return { row: null, buyer: null, holdLive: false, products };
  const row: BuyerStateRow = { ...raw.buyer, registered_at: new Date(raw.buyer.registered_at) };
  const lots: BuyerState['lots'] = (raw.lots ?? []).map((lot) => ({
    id: lot.id,
    remaining: points(Number(lot.remaining)),
    activatesAt: new Date(lot.activates_at).getTime(),
    expiresAt: lot.expires_at === null ? null : new Date(lot.expires_at).getTime(),
  }));
  return {
    row,
    buyer: {
      id: row.id,
      cardTypeId: row.card_type_id ?? options.defaultCardTypeId,
      // Segments arrive with the segment builder (D3); tags already serve promotions aimed at groups.
      segmentIds: row.tags,
      favouriteCategoryIds: row.favourite_category_ids,
      lots,
      reserved: points(Number(raw.reserved ?? 0)),
      debt: points(row.debt),
      purchasesCount: row.purchases_count,
      registeredAt: row.registered_at.getTime(),
      referrers: referrersFrom(raw.referrers, options.defaultCardTypeId, options.referralMode),
    },
    holdLive: raw.hold_live === true,
    products,
  };
}

type GroupRead = { merchantId: string; key: BuyerKey | null; options: PostingReadOptions };
type GroupRaw = {
  buyers: Array<Omit<Raw, 'products'> & { n: number }> | null;
  products: CatalogueRow[] | null;
};

/**
 * The reads of one merchant's confirms made in one turn, in ONE statement (one snapshot): what
 * readPostingContext reads for each, keyed by the position of its request. Products are read
 * once for all the receipts and handed back to each receipt by its own keys.
 */
async function readGroup(db: Db, reads: readonly GroupRead[]): Promise<PostingContext[]> {
  const merchantId = reads[0]?.merchantId ?? '';
  const n: number[] = [];
  const byId: Array<string | null> = [];
  const byPhone: Array<string | null> = [];
  const byCard: Array<string | null> = [];
  const holds: Array<string | null> = [];
  const nows: Date[] = [];
  reads.forEach(({ key, options }, i) => {
    if (!key) return;
    n.push(i);
    // A malformed id finds nobody here instead of failing the statement the others share.
    byId.push('buyerId' in key ? (UUID.test(key.buyerId) ? key.buyerId : null) : null);
    byPhone.push('phone' in key ? key.phone : null);
    byCard.push('cardNumber' in key ? key.cardNumber : null);
    holds.push(options.holdId !== null && UUID.test(options.holdId) ? options.holdId : null);
    nows.push(options.now);
  });
  const keys = [...new Set(reads.flatMap((r) => r.options.productKeys))];
  // Fixed text over arrays (unnest), so the statement is prepared once per connection. Each
  // buyer is found by the one key its request gave, as buyerWhere finds it.
  const result = await sql<GroupRaw>`${PREPARED}
    WITH q AS (
      SELECT * FROM unnest(${n}::int[], ${byId}::uuid[], ${byPhone}::text[], ${byCard}::text[], ${holds}::uuid[],
                           ${nows}::timestamptz[]) AS q(n, buyer_id, phone, card, hold_id, at)
    ), rows AS (
      -- Per request its buyer by the one key it gave, as buyerWhere finds it: a lookup by primary
      -- key driven by the request, never a join over the merchant's buyers.
      SELECT q.n, q.hold_id, q.at, b.* FROM q CROSS JOIN LATERAL (
        SELECT id, balance, card_type_id, debt, purchases_count, purchases_total, registered_at, referrer_id,
               favourite_category_ids, tags, version
          FROM buyers
         WHERE merchant_id = ${merchantId} AND erased_at IS NULL
           AND id = coalesce(q.buyer_id,
                             (SELECT id FROM buyers WHERE merchant_id = ${merchantId} AND phone = q.phone),
                             (SELECT buyer_id FROM cards WHERE merchant_id = ${merchantId}
                                 AND number = q.card AND status = 'active'))
         LIMIT 1) b
    )
    SELECT
      (SELECT json_agg(json_build_object(
          'n', x.n,
          'buyer', json_build_object('id', x.id, 'balance', x.balance, 'card_type_id', x.card_type_id,
                                     'debt', x.debt, 'purchases_count', x.purchases_count,
                                     'purchases_total', x.purchases_total, 'registered_at', x.registered_at,
                                     'referrer_id', x.referrer_id,
                                     'favourite_category_ids', x.favourite_category_ids, 'tags', x.tags,
                                     'version', x.version),
          'lots', (SELECT json_agg(json_build_object('id', l.id, 'remaining', l.remaining,
                                                     'activates_at', l.activates_at, 'expires_at', l.expires_at))
                     FROM point_lots l WHERE l.buyer_id = x.id AND l.remaining > 0),
          'reserved', (SELECT coalesce(sum(h.points), 0) FROM point_holds h
                        WHERE h.buyer_id = x.id AND h.status = 'active' AND h.expires_at > x.at
                          AND h.id IS DISTINCT FROM x.hold_id),
          'hold_live', (SELECT h.status = 'active' AND h.expires_at > x.at FROM point_holds h
                         WHERE h.id = x.hold_id AND h.merchant_id = ${merchantId} AND h.buyer_id = x.id),
          'referrers', CASE WHEN x.referrer_id IS NULL THEN NULL ELSE (
             SELECT chain FROM (WITH b AS (SELECT x.id AS id, x.referrer_id AS referrer_id)
                                SELECT ${referrerChainJson(merchantId)} AS chain) c) END))
         FROM rows x) AS buyers,
      ${catalogueJson(merchantId, keys)} AS products`.execute(genericPlanDb(db));
  const raw = result.rows[0];
  const found = new Map((raw?.buyers ?? []).map((b) => [b.n, b]));
  const catalogue = raw?.products ?? [];
  return reads.map(({ options }, i) => {
    const wanted = new Set(options.productKeys);
    const wantedIds = new Set(options.productKeys.filter((k) => UUID.test(k)).map((k) => k.toLowerCase()));
    const products = catalogue.filter(
      (p) => (p.sku !== null && wanted.has(p.sku)) || wantedIds.has(p.id.toLowerCase()),
    );
    return contextFrom(found.get(i) ?? null, products, options);
  });
}

const groups = new WeakMap<Db, Map<string, TurnBatch<GroupRead, PostingContext>>>();

/**
 * readPostingContext on the pool, sharing one statement with the other confirms of the merchant
 * that read in the same turn of the event loop (turn-batch.ts). Same answer, same snapshot rules:
 * the read is optimistic, the posting's version guard catches a buyer moved since.
 */
export function readPostingContextInGroup(
  db: Db,
  merchantId: string,
  key: BuyerKey | null,
  options: PostingReadOptions,
): Promise<PostingContext> {
  let byMerchant = groups.get(db);
  if (!byMerchant) {
    byMerchant = new Map();
    groups.set(db, byMerchant);
  }
  let batch = byMerchant.get(merchantId);
  if (!batch) {
    batch = new TurnBatch((reads) => readGroup(db, reads), 64);
    byMerchant.set(merchantId, batch);
  }
  return batch.load({ merchantId, key, options });
}

/** The posting context of a buyer the caller's transaction has already locked. */
export async function loadPostingContext(
  trx: Trx,
  merchantId: string,
  buyer: BuyerStateRow | null,
  options: PostingReadOptions,
): Promise<PostingContext> {
  return readPostingContext(trx, merchantId, buyer ? { buyerId: buyer.id } : null, options);
}

/**
 * Locks the referrers a receipt rewards, in id order so concurrent receipts cannot deadlock,
 * and answers their debt (new points repay it first). Erased referrers are skipped.
 */
export async function lockReferrers(
  trx: Trx,
  merchantId: string,
  referrerIds: readonly string[],
): Promise<Map<string, number>> {
  if (referrerIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('buyers')
    .select(['id', 'debt'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', [...new Set(referrerIds)])
    .where('erased_at', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.id, r.debt]));
}

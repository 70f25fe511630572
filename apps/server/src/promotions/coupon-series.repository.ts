// Coupon series (C6) reads and the blocking writes: series with their counts, codes filtered by
// state, redemptions per receipt (which receipt, which buyer, when) from coupon_redemptions, the
// rows receipt posting writes for every accepted code.
import type { z } from 'zod';
import type {
  buyerCouponSchema,
  couponCodeListQuerySchema,
  couponCodeSchema,
  couponRedemptionListQuerySchema,
  couponRedemptionSchema,
  couponSeriesListQuerySchema,
  couponSeriesSchema,
} from '@loyalty/protocol/api/programme.schema';
import { buyerExists } from '#buyers/buyers.repository.ts';
import type { Db } from '#db/database.ts';
import { containsPattern, pageOffset } from '#db/list-query.ts';
import { conflict, notFound } from '#http/api-error.ts';
import { normaliseCode } from './coupon-codes.ts';

type SeriesView = z.output<typeof couponSeriesSchema>;
type SeriesTerms = Pick<
  SeriesView,
  'from' | 'to' | 'usage' | 'maxUsesPerCode' | 'maxUsesPerBuyer' | 'requiresBuyer'
>;
type CodeView = z.output<typeof couponCodeSchema>;
type RedemptionView = z.output<typeof couponRedemptionSchema>;

/** Series of the merchant with their code, use, block and redemption counts. */
function seriesQuery(db: Db, merchantId: string) {
  return db
    .selectFrom('coupon_series')
    .where('coupon_series.merchant_id', '=', merchantId)
    .select(['coupon_series.id', 'coupon_series.name', 'coupon_series.promotion_id', 'coupon_series.body'])
    .select((eb) => [
      eb
        .selectFrom('coupon_codes')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('coupon_codes.series_id', '=', 'coupon_series.id')
        .as('codes'),
      eb
        .selectFrom('coupon_codes')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('coupon_codes.series_id', '=', 'coupon_series.id')
        .where('uses', '>', 0)
        .as('used'),
      eb
        .selectFrom('coupon_codes')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('coupon_codes.series_id', '=', 'coupon_series.id')
        .where('blocked', '=', true)
        .as('blocked'),
      eb
        .selectFrom('coupon_redemptions')
        .innerJoin('coupon_codes', 'coupon_codes.id', 'coupon_redemptions.code_id')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('coupon_codes.series_id', '=', 'coupon_series.id')
        .as('redemptions'),
    ]);
}

type SeriesRow = {
  id: string;
  name: string;
  promotion_id: string;
  body: unknown;
  codes: string | number | null;
  used: string | number | null;
  blocked: string | number | null;
  redemptions: string | number | null;
};

function seriesOf(row: SeriesRow): SeriesView {
  const terms = row.body as SeriesTerms;
  return {
    id: row.id,
    name: row.name,
    promotionId: row.promotion_id,
    from: terms.from,
    to: terms.to,
    usage: terms.usage,
    maxUsesPerCode: terms.maxUsesPerCode,
    maxUsesPerBuyer: terms.maxUsesPerBuyer,
    requiresBuyer: terms.requiresBuyer,
    codesCount: Number(row.codes ?? 0),
    usedCount: Number(row.used ?? 0),
    blockedCount: Number(row.blocked ?? 0),
    redemptionsCount: Number(row.redemptions ?? 0),
  };
}

/** One series; 404 if it is not the merchant's. */
export async function seriesView(db: Db, merchantId: string, id: string): Promise<SeriesView> {
  const row = await seriesQuery(db, merchantId).where('coupon_series.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Серия купонов');
  return seriesOf(row);
}

/** A page of series, newest first. */
export async function listSeries(
  db: Db,
  merchantId: string,
  query: z.output<typeof couponSeriesListQuerySchema>,
): Promise<{ items: SeriesView[]; total: number }> {
  let base = db.selectFrom('coupon_series').where('merchant_id', '=', merchantId);
  if (query.search) base = base.where('name', 'ilike', containsPattern(query.search));
  if (query.promotionId) base = base.where('promotion_id', '=', query.promotionId);
  const [ids, total] = await Promise.all([
    base
      .select('id')
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(query.pageSize)
      .offset(pageOffset(query.page, query.pageSize))
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  if (ids.length === 0) return { items: [], total: Number(total.n) };
  const rows = await seriesQuery(db, merchantId)
    .where(
      'coupon_series.id',
      'in',
      ids.map((r) => r.id),
    )
    .execute();
  const byId = new Map(rows.map((row) => [row.id, seriesOf(row)]));
  return { items: ids.flatMap((r) => byId.get(r.id) ?? []), total: Number(total.n) };
}

/** The codes of a series filtered like the codes table (state, part of the code), by code. */
export function codesQuery(
  db: Db,
  merchantId: string,
  seriesId: string,
  filter: Pick<z.output<typeof couponCodeListQuerySchema>, 'search' | 'state'>,
) {
  let base = db
    .selectFrom('coupon_codes')
    .where('merchant_id', '=', merchantId)
    .where('series_id', '=', seriesId);
  if (filter.search) base = base.where('code', 'like', containsPattern(normaliseCode(filter.search)));
  if (filter.state === 'blocked') base = base.where('blocked', '=', true);
  if (filter.state === 'used') base = base.where('uses', '>', 0);
  if (filter.state === 'unused') base = base.where('uses', '=', 0).where('blocked', '=', false);
  return base;
}

const codeOf = (c: { code: string; uses: number; blocked: boolean; issued_to_buyer_id: string | null }) => ({
  code: c.code,
  uses: c.uses,
  blocked: c.blocked,
  issuedToBuyerId: c.issued_to_buyer_id,
});

/** A page of a series' codes. */
export async function listCodes(
  db: Db,
  merchantId: string,
  seriesId: string,
  query: z.output<typeof couponCodeListQuerySchema>,
): Promise<{ items: CodeView[]; total: number }> {
  const base = codesQuery(db, merchantId, seriesId, query);
  const [rows, total] = await Promise.all([
    base
      .select(['code', 'uses', 'blocked', 'issued_to_buyer_id'])
      .orderBy('code')
      .limit(query.pageSize)
      .offset(pageOffset(query.page, query.pageSize))
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(codeOf), total: Number(total.n) };
}

/** Blocks or unblocks one code of a series; answers the code after the change. */
export async function setCodeBlocked(
  db: Db,
  merchantId: string,
  seriesId: string,
  code: string,
  blocked: boolean,
): Promise<{ before: CodeView; after: CodeView }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('coupon_codes')
      .select(['id', 'code', 'uses', 'blocked', 'issued_to_buyer_id'])
      .where('merchant_id', '=', merchantId)
      .where('series_id', '=', seriesId)
      .where('code', '=', normaliseCode(code))
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Код купона');
    await trx.updateTable('coupon_codes').set({ blocked }).where('id', '=', row.id).execute();
    return { before: codeOf(row), after: codeOf({ ...row, blocked }) };
  });
}

/** Blocks or unblocks every code of a series; answers how many codes changed. */
export async function setSeriesBlocked(
  db: Db,
  merchantId: string,
  seriesId: string,
  blocked: boolean,
): Promise<number> {
  const changed = await db
    .updateTable('coupon_codes')
    .set({ blocked })
    .where('merchant_id', '=', merchantId)
    .where('series_id', '=', seriesId)
    .where('blocked', '=', !blocked)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows);
}

/** A page of redemptions of a series' codes, newest first, with the receipt and (if allowed) the buyer. */
export async function listRedemptions(
  db: Db,
  merchantId: string,
  seriesId: string,
  query: z.output<typeof couponRedemptionListQuerySchema>,
  withBuyer: boolean,
): Promise<{ items: RedemptionView[]; total: number }> {
  let base = db
    .selectFrom('coupon_redemptions as r')
    .innerJoin('coupon_codes as c', 'c.id', 'r.code_id')
    .where('r.merchant_id', '=', merchantId)
    .where('c.series_id', '=', seriesId);
  if (query.code) base = base.where('c.code', '=', normaliseCode(query.code));
  const [rows, total] = await Promise.all([
    base
      .leftJoin('receipts as rc', (join) =>
        join.onRef('rc.id', '=', 'r.receipt_id').on('rc.merchant_id', '=', merchantId),
      )
      .leftJoin('stores as s', 's.id', 'rc.store_id')
      .leftJoin('buyers as b', (join) =>
        join.onRef('b.id', '=', 'r.buyer_id').on('b.merchant_id', '=', merchantId),
      )
      .select([
        'r.id',
        'c.code',
        'r.redeemed_at',
        'r.receipt_id',
        'rc.number',
        'rc.amount',
        'rc.discount',
        's.name as store_name',
        'r.buyer_id',
        'b.phone',
        'b.last_name',
        'b.first_name',
        'b.middle_name',
      ])
      .orderBy('r.redeemed_at', 'desc')
      .orderBy('r.id')
      .limit(query.pageSize)
      .offset(pageOffset(query.page, query.pageSize))
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((row) => ({
      id: row.id,
      code: row.code,
      redeemedAt: row.redeemed_at.toISOString(),
      receiptId: row.receipt_id,
      receiptNumber: row.number,
      storeName: row.store_name,
      amount: row.amount === null ? null : Number(row.amount),
      discount: row.discount === null ? null : Number(row.discount),
      buyerId: row.buyer_id,
      buyerName: withBuyer
        ? [row.last_name, row.first_name, row.middle_name].filter(Boolean).join(' ') || null
        : null,
      buyerPhone: withBuyer ? row.phone : null,
    })),
    total: Number(total.n),
  };
}

type BuyerCouponView = z.output<typeof buyerCouponSchema>;

/**
 * Issues a code of the series to the buyer (C6) in one transaction; `issued` is false when the
 * buyer already held it (a repeated request answers the same code). A shared code (the series'
 * only code, multi use) stays shared: making it personal would take it from every other buyer.
 */
export async function issueCode(
  db: Db,
  merchantId: string,
  seriesId: string,
  buyerId: string,
  code: string | undefined,
): Promise<{ code: CodeView; issued: boolean }> {
  return db.transaction().execute(async (trx) => {
    const series = await trx
      .selectFrom('coupon_series')
      .select(['id', 'body'])
      .select((eb) =>
        eb
          .selectFrom('coupon_codes')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('coupon_codes.series_id', '=', 'coupon_series.id')
          .as('codes'),
      )
      .where('merchant_id', '=', merchantId)
      .where('id', '=', seriesId)
      // Serialises issues of one series, so two requests cannot hand out the same free code.
      .forUpdate()
      .executeTakeFirst();
    if (!series) throw notFound('Серия купонов');
    if (!(await buyerExists(trx, merchantId, buyerId))) throw notFound('Покупатель');
    if ((series.body as SeriesTerms).usage === 'multi' && Number(series.codes ?? 0) === 1)
      throw conflict(
        'У серии один общий код: его нельзя выдать одному покупателю. Выпустите серию уникальных кодов',
        { reason: 'shared_code' },
      );
    const columns = ['id', 'code', 'uses', 'blocked', 'issued_to_buyer_id'] as const;
    const codes = trx
      .selectFrom('coupon_codes')
      .select(columns)
      .where('merchant_id', '=', merchantId)
      .where('series_id', '=', seriesId);
    const held = code
      ? await codes.where('code', '=', normaliseCode(code)).executeTakeFirst()
      : ((await codes
          .where('issued_to_buyer_id', '=', buyerId)
          .where('uses', '=', 0)
          .where('blocked', '=', false)
          .orderBy('code')
          .executeTakeFirst()) ??
        (await codes
          .where('issued_to_buyer_id', 'is', null)
          .where('uses', '=', 0)
          .where('blocked', '=', false)
          .orderBy('code')
          .executeTakeFirst()));
    if (!held) {
      if (code) throw notFound('Код купона');
      throw conflict('В серии не осталось свободных кодов: выпустите новую серию', {
        reason: 'no_free_code',
      });
    }
    if (held.issued_to_buyer_id === buyerId) return { code: codeOf(held), issued: false };
    if (held.issued_to_buyer_id !== null)
      throw conflict('Этот код уже выдан другому покупателю', { reason: 'issued_to_another_buyer' });
    if (held.blocked)
      throw conflict('Код заблокирован: разблокируйте его или выберите другой', { reason: 'blocked' });
    if (held.uses > 0)
      throw conflict('Код уже использовался: выдать можно только неиспользованный код', { reason: 'used' });
    await trx
      .updateTable('coupon_codes')
      .set({ issued_to_buyer_id: buyerId })
      .where('id', '=', held.id)
      .execute();
    return { code: codeOf({ ...held, issued_to_buyer_id: buyerId }), issued: true };
  });
}

/** The codes issued to a buyer, newest series first, then by code; 404 if not the merchant's buyer. */
export async function buyerCoupons(db: Db, merchantId: string, buyerId: string): Promise<BuyerCouponView[]> {
  if (!(await buyerExists(db, merchantId, buyerId))) throw notFound('Покупатель');
  const rows = await db
    .selectFrom('coupon_codes as c')
    .innerJoin('coupon_series as s', 's.id', 'c.series_id')
    .select(['c.code', 'c.uses', 'c.blocked', 's.id as series_id', 's.name', 's.promotion_id', 's.body'])
    .where('c.merchant_id', '=', merchantId)
    .where('s.merchant_id', '=', merchantId)
    .where('c.issued_to_buyer_id', '=', buyerId)
    .orderBy('s.created_at', 'desc')
    .orderBy('c.code')
    .limit(1000)
    .execute();
  return rows.map((row) => {
    const terms = row.body as SeriesTerms;
    return {
      code: row.code,
      uses: row.uses,
      blocked: row.blocked,
      seriesId: row.series_id,
      seriesName: row.name,
      promotionId: row.promotion_id,
      usage: terms.usage,
      from: terms.from,
      to: terms.to,
    };
  });
}

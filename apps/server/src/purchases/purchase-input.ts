// Turns an API purchase request into the engine's input: the buyer found by id, phone or card;
// lines enriched from the catalogue; coupon codes resolved with their usage counters.
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { PresentedCoupon, ReceiptLine } from '@loyalty/core/engine/calculation-input.schema';
import { kopecks } from '@loyalty/core/money/money';
import type { buyerRefSchema, purchaseLineSchema } from '@loyalty/protocol/api/purchases.schema';
import { normalizePhone } from '#buyers/phone-number.ts';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { ApiError, notFound } from '#http/api-error.ts';
import { normaliseCode } from '#promotions/coupon-codes.ts';
import { buyerStateColumns, type BuyerStateRow } from './buyer-state.ts';

type Executor = Db | Transaction<Database>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The buyer's id from whichever reference the till sent; 404 when nobody matches. */
export async function resolveBuyerId(
  db: Executor,
  merchantId: string,
  ref: z.output<typeof buyerRefSchema>,
): Promise<string> {
  if (ref.buyerId) {
    const row = await db
      .selectFrom('buyers')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('id', '=', ref.buyerId)
      .where('erased_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw notFound('Покупатель');
    return row.id;
  }
  if (ref.phone !== undefined) {
    const phone = normalizePhone(ref.phone);
    if (!phone.ok) throw new ApiError(400, phone.error.code, phone.error.message);
    const row = await db
      .selectFrom('buyers')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('phone', '=', phone.value)
      .where('erased_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw notFound('Покупатель с таким телефоном');
    return row.id;
  }
  const card = await db
    .selectFrom('cards')
    .select(['buyer_id', 'status'])
    .where('merchant_id', '=', merchantId)
    .where('number', '=', ref.cardNumber ?? '')
    .executeTakeFirst();
  if (!card?.buyer_id) throw notFound('Покупатель с такой картой');
  if (card.status !== 'active')
    throw new ApiError(
      409,
      'card_not_active',
      'Карта заблокирована или заменена: попросите покупателя показать новую карту',
    );
  return card.buyer_id;
}

/**
 * Finds the buyer by id, phone or card and locks the row for the transaction, reading what the
 * engine needs in the same statement (one round trip instead of three on the confirm path).
 */
export async function lockBuyerByRef(
  trx: Transaction<Database>,
  merchantId: string,
  ref: z.output<typeof buyerRefSchema>,
): Promise<BuyerStateRow> {
  let buyerId = ref.buyerId;
  let phone: string | undefined;
  if (ref.phone !== undefined) {
    const normalised = normalizePhone(ref.phone);
    if (!normalised.ok) throw new ApiError(400, normalised.error.code, normalised.error.message);
    phone = normalised.value;
  } else if (ref.cardNumber !== undefined) {
    buyerId = await resolveBuyerId(trx, merchantId, ref);
  }
  let query = trx
    .selectFrom('buyers')
    .select(buyerStateColumns)
    .where('merchant_id', '=', merchantId)
    .where('erased_at', 'is', null);
  query = phone !== undefined ? query.where('phone', '=', phone) : query.where('id', '=', buyerId ?? '');
  const row = await query.forUpdate().executeTakeFirst();
  if (!row) throw notFound(phone !== undefined ? 'Покупатель с таким телефоном' : 'Покупатель');
  return row;
}

/** Lines for the engine: what the till sent, completed from the catalogue (category, floor, flags). */
export async function engineLines(
  db: Executor,
  merchantId: string,
  lines: ReadonlyArray<z.output<typeof purchaseLineSchema>>,
): Promise<ReceiptLine[]> {
  const ids = [...new Set(lines.map((l) => l.productId))];
  const byId = ids.filter((id) => UUID.test(id));
  const products = await db
    .selectFrom('products')
    .select(['id', 'sku', 'category_id', 'min_price', 'no_discount', 'no_accrual', 'no_points_payment'])
    .where('merchant_id', '=', merchantId)
    .where((eb) => {
      const bySku = eb('sku', 'in', ids);
      return byId.length > 0 ? eb.or([eb('id', 'in', byId), bySku]) : bySku;
    })
    .execute();
  const find = (key: string) => products.find((p) => p.id === key) ?? products.find((p) => p.sku === key);
  return lines.map((line) => {
    const product = find(line.productId);
    return {
      ...(line.lineId === undefined ? {} : { lineId: line.lineId }),
      productId: product?.id ?? line.productId,
      categoryId: line.categoryId !== undefined ? line.categoryId : (product?.category_id ?? null),
      quantity: line.quantity,
      price: kopecks(line.price),
      minPrice: kopecks(line.minPrice ?? product?.min_price ?? 0),
      noDiscount: line.noDiscount ?? product?.no_discount ?? false,
      noAccrual: line.noAccrual ?? product?.no_accrual ?? false,
      noPointsPayment: line.noPointsPayment ?? product?.no_points_payment ?? false,
    };
  });
}

/** Coupon codes with the counters the engine checks (C6); unknown codes have no series. */
export async function presentedCoupons(
  db: Executor,
  merchantId: string,
  codes: readonly string[],
  buyerId: string | null,
): Promise<PresentedCoupon[]> {
  const out: PresentedCoupon[] = [];
  for (const raw of codes) {
    const code = normaliseCode(raw);
    const row = await db
      .selectFrom('coupon_codes')
      .select(['id', 'series_id', 'uses', 'blocked', 'issued_to_buyer_id'])
      .where('merchant_id', '=', merchantId)
      .where('code', '=', code)
      .executeTakeFirst();
    if (!row) {
      out.push({ code, seriesId: null, uses: 0, buyerUses: 0, issuedToBuyerId: null, blocked: false });
      continue;
    }
    const buyerUses = buyerId
      ? Number(
          (
            await db
              .selectFrom('coupon_redemptions')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('code_id', '=', row.id)
              .where('buyer_id', '=', buyerId)
              .executeTakeFirstOrThrow()
          ).n,
        )
      : 0;
    out.push({
      code,
      seriesId: row.series_id,
      uses: row.uses,
      buyerUses,
      issuedToBuyerId: row.issued_to_buyer_id,
      blocked: row.blocked,
    });
  }
  return out;
}

// Turns an API purchase request into the engine's input: the buyer found by id, phone or card;
// lines enriched from the catalogue; coupon codes resolved with their usage counters.
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { PresentedCoupon, ReceiptLine } from '@loyalty/core/engine/calculation-input.schema';
import { kopecks } from '@loyalty/core/money/money';
import type { buyerRefSchema, purchaseLineSchema } from '@loyalty/protocol/api/purchases.schema';
import { normalizePhone } from '@loyalty/core/phones/phone-number';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { ApiError, notFound } from '#http/api-error.ts';
import { normaliseCode } from '#promotions/coupon-codes.ts';
import { buyerStateColumns, type BuyerStateRow } from './buyer-state.ts';
import type { BuyerKey, CatalogueRow } from './posting-context.ts';

type Executor = Db | Transaction<Database>;

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
  return buyerRowByRef(trx, merchantId, ref, true);
}

/**
 * The posting read's key for a buyer reference; a phone is normalised first (an invalid one is
 * a 400 here, before any query).
 */
export function buyerKeyOf(ref: z.output<typeof buyerRefSchema>): BuyerKey {
  if (ref.buyerId !== undefined) return { buyerId: ref.buyerId };
  if (ref.phone !== undefined) {
    const phone = normalizePhone(ref.phone);
    if (!phone.ok) throw new ApiError(400, phone.error.code, phone.error.message);
    return { phone: phone.value };
  }
  return { cardNumber: ref.cardNumber ?? '' };
}

async function buyerRowByRef(
  db: Transaction<Database>,
  merchantId: string,
  ref: z.output<typeof buyerRefSchema>,
  lock: boolean,
): Promise<BuyerStateRow> {
  let buyerId = ref.buyerId;
  let phone: string | undefined;
  if (ref.phone !== undefined) {
    const normalised = normalizePhone(ref.phone);
    if (!normalised.ok) throw new ApiError(400, normalised.error.code, normalised.error.message);
    phone = normalised.value;
  } else if (ref.cardNumber !== undefined) {
    buyerId = await resolveBuyerId(db, merchantId, ref);
  }
  let query = db
    .selectFrom('buyers')
    .select(buyerStateColumns)
    .where('merchant_id', '=', merchantId)
    .where('erased_at', 'is', null);
  query = phone !== undefined ? query.where('phone', '=', phone) : query.where('id', '=', buyerId ?? '');
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw notFound(phone !== undefined ? 'Покупатель с таким телефоном' : 'Покупатель');
  return row;
}

/** Lines for the engine: what the till sent, completed from the catalogue (category, floor, flags). */
export function linesFromCatalogue(
  lines: ReadonlyArray<z.output<typeof purchaseLineSchema>>,
  products: readonly CatalogueRow[],
): ReceiptLine[] {
  const byId = new Map(products.map((p) => [p.id, p]));
  const bySku = new Map(products.flatMap((p) => (p.sku === null ? [] : [[p.sku, p] as const])));
  return lines.map((line) => {
    const product = byId.get(line.productId) ?? bySku.get(line.productId);
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

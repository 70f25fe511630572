// A hand-written check for the common, well-formed calculation input. zod allocates a result
// object per field (about 300 KB for a 100-line receipt with 50 lots), which doubled the
// engine's garbage; this path builds only the output. It accepts a subset of what the schema
// accepts and returns exactly what the schema would (property-tested against it); anything
// unusual (coupons, bad values) returns null and goes through zod for the full error report.
import type { Kopecks, Points } from '#money/money.ts';
import type { BuyerState, Receipt, ReceiptLine } from './calculation-input.schema.ts';

type Parsed = { receipt: Receipt; buyer: BuyerState | null; now: number };
type Json = Record<string, unknown>;

const MAX_MONEY = 10_000_000_000_000;
const MAX_INSTANT = 8_640_000_000_000_000;
const MAX_CALENDAR_INSTANT = Date.UTC(9999, 11, 31);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 100;
const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const optionalBool = (v: unknown): boolean | null =>
  v === undefined ? false : typeof v === 'boolean' ? v : null;

function idList(v: unknown, max: number): string[] | null {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > max) return null;
  for (const id of v) if (!isId(id)) return null;
  return v.slice() as string[];
}

function line(v: unknown): ReceiptLine | null {
  if (!isObject(v)) return null;
  const { lineId, productId, categoryId, quantity, price, minPrice } = v;
  if (lineId !== undefined && !(typeof lineId === 'string' && lineId.length >= 1 && lineId.length <= 100))
    return null;
  if (!isId(productId) || !(categoryId === undefined || categoryId === null || isId(categoryId))) return null;
  if (!isInt(quantity, 1, 1_000_000_000) || !isInt(price, 0, MAX_MONEY)) return null;
  if (!(minPrice === undefined || isInt(minPrice, 0, MAX_MONEY))) return null;
  const noDiscount = optionalBool(v.noDiscount);
  const noAccrual = optionalBool(v.noAccrual);
  const noPointsPayment = optionalBool(v.noPointsPayment);
  if (noDiscount === null || noAccrual === null || noPointsPayment === null) return null;
  return {
    ...(lineId === undefined ? {} : { lineId }),
    productId,
    categoryId: categoryId ?? null,
    quantity,
    price: price as Kopecks,
    minPrice: (minPrice ?? 0) as Kopecks,
    noDiscount,
    noAccrual,
    noPointsPayment,
  };
}

function buyer(v: unknown): BuyerState | null {
  if (!isObject(v)) return null;
  const { id, cardTypeId, lots, debt, reserved, purchasesCount, registeredAt, referrers } = v;
  if (!isId(id) || !isId(cardTypeId)) return null;
  const segmentIds = idList(v.segmentIds, 1000);
  const favouriteCategoryIds = idList(v.favouriteCategoryIds, 100);
  if (!segmentIds || !favouriteCategoryIds) return null;
  if (!(debt === undefined || isInt(debt, 0, MAX_MONEY))) return null;
  if (!(reserved === undefined || isInt(reserved, 0, MAX_MONEY))) return null;
  if (!(purchasesCount === undefined || isInt(purchasesCount, 0, Number.MAX_SAFE_INTEGER))) return null;
  if (!(registeredAt === undefined || registeredAt === null || isInt(registeredAt, 0, MAX_CALENDAR_INSTANT)))
    return null;
  if (!(referrers === undefined || (Array.isArray(referrers) && referrers.length === 0))) return null;
  const parsedLots: BuyerState['lots'] = [];
  if (lots !== undefined) {
    if (!Array.isArray(lots) || lots.length > 100_000) return null;
    for (const lot of lots as unknown[]) {
      if (!isObject(lot)) return null;
      const { id: lotId, remaining, activatesAt, expiresAt } = lot;
      if (!isId(lotId) || !isInt(remaining, 0, MAX_MONEY) || !isInt(activatesAt, 0, MAX_INSTANT)) return null;
      if (!(expiresAt === null || isInt(expiresAt, 0, MAX_INSTANT))) return null;
      parsedLots.push({ id: lotId, remaining: remaining as Points, activatesAt, expiresAt });
    }
  }
  return {
    id,
    cardTypeId,
    segmentIds,
    favouriteCategoryIds,
    lots: parsedLots,
    debt: (debt ?? 0) as Points,
    reserved: (reserved ?? 0) as Points,
    purchasesCount: purchasesCount ?? 0,
    registeredAt: registeredAt ?? null,
    referrers: [],
  };
}

/** The parsed input when it is plainly well-formed; null means "let zod decide and explain". */
export function parseCalculationInputFast(input: unknown): Parsed | null {
  if (!isObject(input) || !isInt(input.now, 0, MAX_CALENDAR_INSTANT)) return null;
  const receipt = input.receipt;
  if (!isObject(receipt) || !isId(receipt.storeId)) return null;
  const { lines, coupons, pointsToPay } = receipt;
  if (!Array.isArray(lines) || lines.length < 1 || lines.length > 1000) return null;
  if (!(coupons === undefined || (Array.isArray(coupons) && coupons.length === 0))) return null;
  if (!(pointsToPay === undefined || pointsToPay === 'max' || isInt(pointsToPay, 0, MAX_MONEY))) return null;
  const parsedLines: ReceiptLine[] = [];
  for (const raw of lines as unknown[]) {
    const parsed = line(raw);
    if (!parsed) return null;
    parsedLines.push(parsed);
  }
  let parsedBuyer: BuyerState | null = null;
  if (input.buyer !== undefined && input.buyer !== null) {
    parsedBuyer = buyer(input.buyer);
    if (!parsedBuyer) return null;
  }
  return {
    receipt: {
      storeId: receipt.storeId,
      lines: parsedLines,
      coupons: [],
      pointsToPay: pointsToPay === 'max' ? 'max' : ((pointsToPay ?? 0) as Points),
    },
    buyer: parsedBuyer,
    now: input.now,
  };
}

// A buyer's personal coupon codes (C6) as XLSX: the rows of the buyer card's coupons table.
import type { z } from 'zod';
import type { buyerCouponSchema } from '@loyalty/protocol/api/programme.schema';
import type { Db } from '#db/database.ts';
import { buyerCoupons } from '#promotions/coupon-series.repository.ts';
import { wallClock } from './merchant-time.ts';
import type { SheetSource } from './xlsx-writer.ts';

type CouponLine = z.output<typeof buyerCouponSchema>;

/** The buyer's codes, newest series first; 404 if the buyer is not the merchant's. */
export async function buyerCouponsSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  buyerId: string,
): Promise<SheetSource<CouponLine>> {
  const rows = await buyerCoupons(db, merchantId, buyerId);
  const at = (instant: number | null) => (instant === null ? null : wallClock(new Date(instant), timeZone));
  return {
    name: 'Купоны покупателя',
    columns: [
      { header: 'Код', width: 22, value: (c) => c.code },
      { header: 'Серия', width: 30, value: (c) => c.seriesName },
      { header: 'Использований', format: 'integer', value: (c) => c.uses },
      {
        header: 'Состояние',
        value: (c) => (c.blocked ? 'заблокирован' : c.uses > 0 ? 'использован' : 'не использован'),
      },
      { header: 'Действует с', width: 18, format: 'datetime', value: (c) => at(c.from) },
      { header: 'Действует по', width: 18, format: 'datetime', value: (c) => at(c.to) },
    ],
    pages: [rows].values(),
  };
}

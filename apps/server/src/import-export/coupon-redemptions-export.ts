// The redemptions of a coupon series as XLSX (C6 usage): the rows the usage table shows, newest
// first, with the receipt, store, totals and (for callers who may read buyers) the buyer.
import type { Db } from '#db/database.ts';
import { listRedemptions } from '#promotions/coupon-series.repository.ts';
import { wallClock } from './merchant-time.ts';
import { hundredths, type SheetColumn, type SheetSource } from './xlsx-writer.ts';

const PAGE_SIZE = 1000;

type RedemptionLine = Awaited<ReturnType<typeof listRedemptions>>['items'][number];

/** The sheet of a series' redemptions (the caller has checked the series is the merchant's). */
export function couponRedemptionsSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  seriesId: string,
  withBuyer: boolean,
): SheetSource<RedemptionLine> {
  const columns: Array<SheetColumn<RedemptionLine>> = [
    {
      header: 'Когда',
      width: 18,
      format: 'datetime',
      value: (r) => wallClock(new Date(r.redeemedAt), timeZone),
    },
    { header: 'Код', width: 20, value: (r) => r.code },
    { header: 'Чек', width: 38, value: (r) => r.receiptNumber ?? r.receiptId },
    { header: 'Магазин', width: 24, value: (r) => r.storeName },
    { header: 'Сумма чека, ₽', format: 'money', value: (r) => hundredths(r.amount) },
    {
      header: 'Скидка по чеку, ₽',
      format: 'money',
      value: (r) => hundredths(r.discount),
    },
    { header: 'Покупатель', width: 30, value: (r) => r.buyerName },
    { header: 'Телефон покупателя', width: 18, value: (r) => r.buyerPhone },
  ];
  async function* pages() {
    // Offset pages are stable here: the export reads one repeatable-read snapshot.
    for (let page = 1; ; page++) {
      const { items } = await listRedemptions(
        db,
        merchantId,
        seriesId,
        { page, pageSize: PAGE_SIZE },
        withBuyer,
      );
      yield items;
      if (items.length < PAGE_SIZE) return;
    }
  }
  return { name: 'Использования купонов', columns, pages: pages() };
}

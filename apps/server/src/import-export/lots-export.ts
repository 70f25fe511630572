// A buyer's points lots (C12) as XLSX: the buyer card's lots table (source, accrued, left,
// activation, expiry), newest first, in the merchant's zone; 404 for another merchant's buyer.
import { buyerExists } from '#buyers/buyers.repository.ts';
import type { Db } from '#db/database.ts';
import { pageOffset } from '#db/list-query.ts';
import { notFound } from '#http/api-error.ts';
import { listedSheet } from './listed-sheet.ts';
import { wallClock } from './merchant-time.ts';
import { hundredths, type SheetSource } from './xlsx-writer.ts';

type LotLine = {
  id: string;
  source: string;
  initial: number;
  remaining: number;
  activates_at: Date;
  expires_at: Date | null;
};

/** The lots sheet; the buyer is checked first, so a foreign id answers 404 before the file. */
export async function lotsSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  buyerId: string,
): Promise<SheetSource<LotLine>> {
  if (!(await buyerExists(db, merchantId, buyerId))) throw notFound('Покупатель');
  const at = (instant: Date | null) => (instant ? wallClock(instant, timeZone) : null);
  return listedSheet<LotLine>(
    'Партии баллов',
    [
      { header: 'Источник', width: 18, value: (l) => l.source },
      { header: 'Начислено', format: 'points', value: (l) => hundredths(l.initial) },
      { header: 'Осталось', format: 'points', value: (l) => hundredths(l.remaining) },
      { header: 'Активация', width: 18, format: 'datetime', value: (l) => at(l.activates_at) },
      { header: 'Сгорание', width: 18, format: 'datetime', value: (l) => at(l.expires_at) },
    ],
    (page, pageSize) =>
      db
        .selectFrom('point_lots')
        .select(['id', 'source', 'initial', 'remaining', 'activates_at', 'expires_at'])
        .where('merchant_id', '=', merchantId)
        .where('buyer_id', '=', buyerId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(pageSize)
        .offset(pageOffset(page, pageSize))
        .execute(),
  );
}

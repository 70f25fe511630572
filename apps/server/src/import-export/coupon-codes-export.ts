// The codes of a coupon series as XLSX (C6) for the print shop or a partner: the rows the codes
// table shows for the same filters, by code, with their uses, last use and the buyer they were
// issued to.
import type { z } from 'zod';
import type { couponCodesExportQuerySchema } from '@loyalty/protocol/api/import-export.schema';
import type { Db } from '#db/database.ts';
import { codesQuery } from '#promotions/coupon-series.repository.ts';
import { wallClock } from './merchant-time.ts';
import type { SheetColumn, SheetSource } from './xlsx-writer.ts';

const PAGE_SIZE = 5000;

type CodeLine = {
  code: string;
  uses: number;
  blocked: boolean;
  issued_to_buyer_id: string | null;
  last_used: Date | null;
};

/** The sheet of a series' codes (the caller has checked the series is the merchant's). */
export function couponCodesSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof couponCodesExportQuerySchema>,
): SheetSource<CodeLine> {
  const columns: Array<SheetColumn<CodeLine>> = [
    { header: 'Код', width: 24, value: (c) => c.code },
    { header: 'Использований', format: 'integer', value: (c) => c.uses },
    { header: 'Заблокирован', value: (c) => (c.blocked ? 'да' : 'нет') },
    {
      header: 'Последнее использование',
      width: 22,
      format: 'datetime',
      value: (c) => (c.last_used ? wallClock(c.last_used, timeZone) : null),
    },
    { header: 'Выдан покупателю', width: 38, value: (c) => c.issued_to_buyer_id },
  ];
  async function* pages() {
    // Keyset paging by code: the codes are unique per merchant and the snapshot is stable.
    let after = '';
    for (;;) {
      const rows = await codesQuery(db, merchantId, query.seriesId, query)
        .where('code', '>', after)
        .select(['code', 'uses', 'blocked', 'issued_to_buyer_id'])
        .select((eb) =>
          eb
            .selectFrom('coupon_redemptions')
            .select((e) => e.fn.max('redeemed_at').as('at'))
            .whereRef('coupon_redemptions.code_id', '=', 'coupon_codes.id')
            .as('last_used'),
        )
        .orderBy('code')
        .limit(PAGE_SIZE)
        .execute();
      yield rows;
      const last = rows.at(-1);
      if (rows.length < PAGE_SIZE || !last) return;
      after = last.code;
    }
  }
  return { name: 'Коды купонов', columns, pages: pages() };
}

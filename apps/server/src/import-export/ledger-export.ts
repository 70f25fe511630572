// Point movements of the whole merchant as XLSX (C12), newest first, by the merchant's calendar
// days, buyer and kind of entry; the per-buyer history (GET /buyers/:id/ledger) has no filters to
// mirror beyond the buyer. Pages are read by keyset on the entry id.
import type { z } from 'zod';
import type { ledgerExportQuerySchema } from '@loyalty/protocol/api/import-export.schema';
import type { Db } from '#db/database.ts';
import { localMidnight, wallClock } from './merchant-time.ts';
import { hundredths, type SheetColumn, type SheetSource } from './xlsx-writer.ts';

const PAGE_SIZE = 1000;

/** Russian names of the ledger's entry kinds; an unknown kind shows as stored. */
export const entryKindNames: Record<string, string> = {
  accrual: 'Начисление за покупку',
  redemption: 'Оплата баллами',
  expiry: 'Сгорание',
  manual_accrual: 'Ручное начисление',
  manual_deduction: 'Ручное списание',
  return_restore: 'Возврат списанных баллов',
  return_reversal: 'Отмена начисления при возврате',
  overdraft_repayment: 'Погашение долга',
  referral: 'Реферальная награда',
  opening_balance: 'Начальный баланс',
};

function entriesQuery(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof ledgerExportQuerySchema>,
) {
  let qb = db
    .selectFrom('ledger_entries')
    .leftJoin('buyers', (join) =>
      join
        .onRef('buyers.id', '=', 'ledger_entries.buyer_id')
        .onRef('buyers.merchant_id', '=', 'ledger_entries.merchant_id'),
    )
    .leftJoin('receipts', (join) =>
      join
        .onRef('receipts.id', '=', 'ledger_entries.receipt_id')
        .onRef('receipts.merchant_id', '=', 'ledger_entries.merchant_id'),
    )
    .select([
      'ledger_entries.id',
      'ledger_entries.created_at',
      'ledger_entries.kind',
      'ledger_entries.points',
      'ledger_entries.reason',
      'buyers.phone as buyer_phone',
      'buyers.last_name',
      'buyers.first_name',
      'buyers.middle_name',
      'receipts.number as receipt_number',
    ])
    .where('ledger_entries.merchant_id', '=', merchantId);
  if (query.dateFrom)
    qb = qb.where('ledger_entries.created_at', '>=', localMidnight(query.dateFrom, timeZone));
  if (query.dateTo) qb = qb.where('ledger_entries.created_at', '<', localMidnight(query.dateTo, timeZone, 1));
  if (query.buyerId) qb = qb.where('ledger_entries.buyer_id', '=', query.buyerId);
  if (query.kind) qb = qb.where('ledger_entries.kind', '=', query.kind);
  return qb;
}

type EntryLine = Awaited<ReturnType<ReturnType<typeof entriesQuery>['execute']>>[number];

/** The sheet of ledger entries matching the filters, newest first. */
export function ledgerSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof ledgerExportQuerySchema>,
): SheetSource<EntryLine> {
  const columns: Array<SheetColumn<EntryLine>> = [
    { header: 'Дата', format: 'datetime', value: (e) => wallClock(e.created_at, timeZone) },
    { header: 'Телефон покупателя', value: (e) => e.buyer_phone },
    {
      header: 'Покупатель',
      width: 30,
      value: (e) => [e.last_name, e.first_name, e.middle_name].filter(Boolean).join(' ') || null,
    },
    { header: 'Операция', width: 28, value: (e) => entryKindNames[e.kind] ?? e.kind },
    { header: 'Баллы', format: 'points', value: (e) => hundredths(e.points) },
    { header: 'Номер чека', value: (e) => e.receipt_number },
    { header: 'Причина', width: 40, value: (e) => e.reason },
  ];

  async function* pages() {
    let before: number | null = null;
    for (;;) {
      let qb = entriesQuery(db, merchantId, timeZone, query);
      if (before !== null) qb = qb.where('ledger_entries.id', '<', before);
      const rows = await qb.orderBy('ledger_entries.id', 'desc').limit(PAGE_SIZE).execute();
      yield rows;
      const tail = rows.at(-1);
      if (!tail || rows.length < PAGE_SIZE) return;
      before = tail.id;
    }
  }
  return { name: 'Движение баллов', columns, pages: pages() };
}

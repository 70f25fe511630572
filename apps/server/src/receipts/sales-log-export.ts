// The sales log as XLSX (B5): the columns the cabinet's table shows, in its order and with its
// filters, returns with negative figures like in the list.
import type { Db } from '#db/database.ts';
import { wallClock } from '#import-export/merchant-time.ts';
import { hundredths, type SheetColumn, type SheetSource } from '#import-export/xlsx-writer.ts';
import { salesLogPages, type SalesLogQuery, type SalesLogRow } from './sales-log.repository.ts';

const typeNames: Record<SalesLogRow['type'], string> = { sale: 'Продажа', return: 'Возврат' };

/** The sheet of the log's operations. */
export async function salesLogSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: SalesLogQuery,
): Promise<SheetSource<SalesLogRow>> {
  const stores = await db
    .selectFrom('stores')
    .select(['id', 'name'])
    .where('merchant_id', '=', merchantId)
    .execute();
  const storeNames = new Map(stores.map((s) => [s.id, s.name]));
  const columns: Array<SheetColumn<SalesLogRow>> = [
    { header: 'Дата', format: 'datetime', value: (r) => wallClock(r.created_at, timeZone) },
    { header: 'Операция', value: (r) => typeNames[r.type] },
    { header: 'Номер чека', value: (r) => r.number },
    {
      header: 'Магазин',
      width: 24,
      value: (r) => (r.store_id ? (storeNames.get(r.store_id) ?? null) : null),
    },
    { header: 'Кассир', width: 24, value: (r) => r.cashier_name },
    { header: 'Сумма, ₽', format: 'money', value: (r) => hundredths(Number(r.total)) },
    { header: 'Скидка, ₽', format: 'money', value: (r) => hundredths(Number(r.discount)) },
    { header: 'Оплачено баллами', format: 'points', value: (r) => hundredths(Number(r.points_paid)) },
    { header: 'Оплачено деньгами, ₽', format: 'money', value: (r) => hundredths(Number(r.paid_money)) },
    { header: 'Начислено баллов', format: 'points', value: (r) => hundredths(Number(r.accrual)) },
    { header: 'ID', width: 38, value: (r) => r.id },
  ];
  return { name: 'Продажи и возвраты', columns, pages: salesLogPages(db, merchantId, timeZone, query) };
}

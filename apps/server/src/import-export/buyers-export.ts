// The buyer base as XLSX (D1 "export to Excel"): the very rows and order GET /buyers shows for
// the same filters, read page by page through listBuyers, plus the questionnaire answers.
import type { z } from 'zod';
import type { buyersExportQuerySchema } from '@loyalty/protocol/api/import-export.schema';
import type { FilterContext } from '#buyers/buyer-filters.ts';
import { listBuyers, type BuyerRow } from '#buyers/buyers.repository.ts';
import type { BuyerChannel, ConsentKind } from '#db/database-schema.ts';
import type { Db } from '#db/database.ts';
import { listFields } from '#questionnaire/questionnaire.repository.ts';
import { calendarDate, wallClock } from './merchant-time.ts';
import { hundredths, yesNo, type SheetColumn, type SheetSource } from './xlsx-writer.ts';

// listBuyers pages by offset, so each page re-reads the ids of the rows before it: big pages
// keep the number of re-scans, and so the export time, low (100,000 buyers: 20 pages).
const PAGE_SIZE = 5000;

export const channelNames: Record<BuyerChannel, string> = {
  till: 'Касса',
  chatbot: 'Чат-бот',
  web: 'Сайт',
  import: 'Импорт',
  api: 'API',
  cabinet: 'Кабинет',
};

const consentColumns: ReadonlyArray<[ConsentKind, string]> = [
  ['sms', 'Согласие на SMS'],
  ['advertising', 'Согласие на рекламу'],
  ['email', 'Согласие на e-mail'],
  ['messenger', 'Согласие на мессенджеры'],
];

/** Id to name of a merchant's rows, for the columns that show names instead of ids. */
async function names(db: Db, table: 'stores' | 'card_types', merchantId: string) {
  const rows = await db
    .selectFrom(table)
    .select(['id', 'name'])
    .where('merchant_id', '=', merchantId)
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

const consentOf = (row: BuyerRow, kind: ConsentKind) =>
  row.consents.find((consent) => consent.kind === kind)?.granted ?? false;

/** The sheet of buyers matching the list query, in the list's order. */
export async function buyersSheet(
  db: Db,
  query: z.output<typeof buyersExportQuerySchema>,
  context: FilterContext,
  pageSize = PAGE_SIZE,
): Promise<SheetSource<BuyerRow>> {
  const { merchantId, timeZone } = context;
  const [stores, cardTypes, fields] = await Promise.all([
    names(db, 'stores', merchantId),
    names(db, 'card_types', merchantId),
    listFields(db, merchantId),
  ]);
  const at = (instant: Date | null) => (instant ? wallClock(instant, timeZone) : null);
  const columns: Array<SheetColumn<BuyerRow>> = [
    { header: 'ID', width: 38, value: (b) => b.id },
    { header: 'Телефон', value: (b) => b.phone },
    { header: 'Фамилия', value: (b) => b.last_name },
    { header: 'Имя', value: (b) => b.first_name },
    { header: 'Отчество', value: (b) => b.middle_name },
    { header: 'Пол', width: 6, value: (b) => (b.gender === null ? null : b.gender === 'male' ? 'м' : 'ж') },
    {
      header: 'Дата рождения',
      format: 'date',
      value: (b) => (b.birth_date_text ? calendarDate(b.birth_date_text) : null),
    },
    { header: 'E-mail', width: 24, value: (b) => b.email },
    { header: 'Номер карты', width: 20, value: (b) => b.cards.map((card) => card.number).join(', ') || null },
    { header: 'Тип карты', value: (b) => (b.card_type_id ? (cardTypes.get(b.card_type_id) ?? null) : null) },
    { header: 'Дата регистрации', format: 'datetime', value: (b) => at(b.registered_at) },
    { header: 'Канал регистрации', value: (b) => channelNames[b.channel] },
    {
      header: 'Магазин регистрации',
      value: (b) => (b.registration_store_id ? (stores.get(b.registration_store_id) ?? null) : null),
    },
    { header: 'Покупок', format: 'integer', value: (b) => b.purchases_count },
    { header: 'Сумма покупок, ₽', format: 'money', value: (b) => hundredths(b.purchases_total) },
    {
      header: 'Средний чек, ₽',
      format: 'money',
      value: (b) =>
        b.purchases_count > 0 ? hundredths(Math.round(b.purchases_total / b.purchases_count)) : null,
    },
    { header: 'Последняя покупка', format: 'datetime', value: (b) => at(b.last_purchase_at) },
    { header: 'Баланс, баллов', format: 'points', value: (b) => hundredths(b.balance) },
    ...consentColumns.map(([kind, header]): SheetColumn<BuyerRow> => ({
      header,
      value: (b) => yesNo(consentOf(b, kind)),
    })),
    { header: 'Теги', value: (b) => b.tags.join(', ') || null },
    ...fields.map((field): SheetColumn<BuyerRow> => ({
      header: field.label,
      value: (b) => {
        const answer = b.answers[field.key];
        return typeof answer === 'string' || typeof answer === 'number' ? answer : null;
      },
    })),
  ];

  async function* pages() {
    for (let page = 1; ; page++) {
      const { rows } = await listBuyers(db, { ...query, page, pageSize }, context);
      yield rows;
      if (rows.length < pageSize) return;
    }
  }
  return { name: 'Покупатели', columns, pages: pages() };
}

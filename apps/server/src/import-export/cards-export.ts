// Cards as XLSX: the rows GET /cards shows for the same filters, with the series and the holder
// by name. The first columns carry the cards import's headers.
import type { z } from 'zod';
import type { cardsExportQuerySchema } from '@loyalty/protocol/api/import-export.schema';
import { listCards, type CardRow } from '#cards/cards.repository.ts';
import type { CardStatus } from '#db/database-schema.ts';
import type { Db } from '#db/database.ts';
import { wallClock } from './merchant-time.ts';
import type { SheetColumn, SheetSource } from './xlsx-writer.ts';

const PAGE_SIZE = 1000;

export const cardStatusNames: Record<CardStatus, string> = {
  issued: 'не выдана',
  active: 'активна',
  blocked: 'заблокирована',
  replaced: 'заменена',
};

type Holder = { phone: string | null; name: string | null };
type CardLine = CardRow & { holder: Holder | null };

async function holders(db: Db, merchantId: string, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, Holder>();
  const rows = await db
    .selectFrom('buyers')
    .select(['id', 'phone', 'last_name', 'first_name', 'middle_name'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((b) => [
      b.id,
      { phone: b.phone, name: [b.last_name, b.first_name, b.middle_name].filter(Boolean).join(' ') || null },
    ]),
  );
}

/** The sheet of cards matching the list query, by number. */
export async function cardsSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof cardsExportQuerySchema>,
): Promise<SheetSource<CardLine>> {
  const series = await db
    .selectFrom('card_series')
    .select(['id', 'name'])
    .where('merchant_id', '=', merchantId)
    .execute();
  const seriesNames = new Map(series.map((s) => [s.id, s.name]));
  const at = (instant: Date | null) => (instant ? wallClock(instant, timeZone) : null);
  const columns: Array<SheetColumn<CardLine>> = [
    { header: 'Номер карты', width: 20, value: (c) => c.number },
    { header: 'Статус', value: (c) => cardStatusNames[c.status] },
    { header: 'Причина блокировки', width: 24, value: (c) => c.block_reason },
    { header: 'Телефон покупателя', value: (c) => c.holder?.phone ?? null },
    { header: 'Покупатель', width: 30, value: (c) => c.holder?.name ?? null },
    { header: 'Серия', value: (c) => (c.series_id ? (seriesNames.get(c.series_id) ?? null) : null) },
    {
      header: 'Вид',
      value: (c) => (c.kind === null ? null : c.kind === 'personal' ? 'именная' : 'анонимная'),
    },
    { header: 'Выпущена', format: 'datetime', value: (c) => at(c.created_at) },
    { header: 'Активирована', format: 'datetime', value: (c) => at(c.activated_at) },
  ];

  async function* pages() {
    for (let page = 1; ; page++) {
      const { rows } = await listCards(db, merchantId, { ...query, page, pageSize: PAGE_SIZE });
      const byId = await holders(
        db,
        merchantId,
        rows.flatMap((c) => (c.buyer_id ? [c.buyer_id] : [])),
      );
      yield rows.map((c) => ({ ...c, holder: c.buyer_id ? (byId.get(c.buyer_id) ?? null) : null }));
      if (rows.length < PAGE_SIZE) return;
    }
  }
  return { name: 'Карты', columns, pages: pages() };
}

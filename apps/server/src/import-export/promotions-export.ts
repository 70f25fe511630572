// Promotions (C5) and coupon series (C6) as XLSX: the rows their lists show for the same filters
// and in the same order, with Russian names for states and effects.
import type { z } from 'zod';
import type {
  couponSeriesExportQuerySchema,
  promotionsExportQuerySchema,
} from '@loyalty/protocol/api/import-export.schema';
import type { Db } from '#db/database.ts';
import { listSeries } from '#promotions/coupon-series.repository.ts';
import { promotionsQuery, stateOf, type PromotionState } from '#promotions/promotions.repository.ts';
import { wallClock } from './merchant-time.ts';
import { yesNo, type SheetColumn, type SheetSource } from './xlsx-writer.ts';

const PAGE_SIZE = 1000;

const stateNames: Record<PromotionState, string> = {
  scheduled: 'запланирована',
  active: 'действует',
  ended: 'завершена',
  archived: 'в архиве',
};

const effectNames: Record<string, string> = {
  discount_percent: 'скидка, %',
  discount_amount: 'скидка суммой',
  fixed_price: 'фиксированная цена',
  threshold_discount: 'скидка от суммы',
  ladder: 'лесенка',
  buy_x_get_y: 'купи X — получи Y',
  gift_line: 'подарок',
  points_percent: 'баллы, %',
  gift_points: 'подарочные баллы',
  flags_only: 'только ограничения',
};

type PromotionLine = {
  name: string;
  priority: number;
  state: PromotionState;
  starts_at: Date | null;
  ends_at: Date | null;
  body: { effect?: { kind?: string }; stacking?: { stackable?: boolean; exclusivityGroup?: string | null } };
};

/** The sheet of promotions matching the list query, by priority then newest. */
export function promotionsSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof promotionsExportQuerySchema>,
  now: Date,
): SheetSource<PromotionLine> {
  const at = (instant: Date | null) => (instant ? wallClock(instant, timeZone) : null);
  const columns: Array<SheetColumn<PromotionLine>> = [
    { header: 'Название', width: 32, value: (p) => p.name },
    { header: 'Состояние', width: 16, value: (p) => stateNames[p.state] },
    { header: 'Приоритет', format: 'integer', value: (p) => p.priority },
    { header: 'Начало', format: 'datetime', width: 18, value: (p) => at(p.starts_at) },
    { header: 'Конец', format: 'datetime', width: 18, value: (p) => at(p.ends_at) },
    {
      header: 'Что даёт',
      width: 22,
      value: (p) => effectNames[p.body.effect?.kind ?? ''] ?? p.body.effect?.kind ?? null,
    },
    { header: 'Суммируется', value: (p) => yesNo(p.body.stacking?.stackable ?? true) },
    { header: 'Группа исключения', width: 20, value: (p) => p.body.stacking?.exclusivityGroup ?? null },
  ];
  async function* pages() {
    // Offset pages are stable here: the export reads one repeatable-read snapshot.
    for (let page = 1; ; page++) {
      const rows = await promotionsQuery(db, merchantId, query, now)
        .select(['name', 'priority', 'starts_at', 'ends_at', 'archived_at', 'body'])
        .orderBy('priority', 'desc')
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .execute();
      yield rows.map((row) => ({
        name: row.name,
        priority: row.priority,
        state: stateOf(row, now.getTime()),
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        body: row.body as PromotionLine['body'],
      }));
      if (rows.length < PAGE_SIZE) return;
    }
  }
  return { name: 'Акции', columns, pages: pages() };
}

type SeriesLine = Awaited<ReturnType<typeof listSeries>>['items'][number] & { promotion: string | null };

/** The sheet of coupon series matching the list query, newest first. */
export async function couponSeriesSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof couponSeriesExportQuerySchema>,
): Promise<SheetSource<SeriesLine>> {
  const promotions = await db
    .selectFrom('promotions')
    .select(['id', 'name'])
    .where('merchant_id', '=', merchantId)
    .execute();
  const names = new Map(promotions.map((p) => [p.id, p.name]));
  const at = (instant: number | null) => (instant === null ? null : wallClock(new Date(instant), timeZone));
  const columns: Array<SheetColumn<SeriesLine>> = [
    { header: 'Серия', width: 28, value: (s) => s.name },
    { header: 'Акция', width: 28, value: (s) => s.promotion },
    { header: 'Использование', value: (s) => (s.usage === 'single' ? 'однократный' : 'многократный') },
    { header: 'Начало', format: 'datetime', width: 18, value: (s) => at(s.from) },
    { header: 'Конец', format: 'datetime', width: 18, value: (s) => at(s.to) },
    { header: 'Кодов', format: 'integer', value: (s) => s.codesCount },
    { header: 'Использовано кодов', format: 'integer', value: (s) => s.usedCount },
    { header: 'Чеков', format: 'integer', value: (s) => s.redemptionsCount },
    { header: 'Заблокировано', format: 'integer', value: (s) => s.blockedCount },
  ];
  async function* pages() {
    for (let page = 1; ; page++) {
      const { items } = await listSeries(db, merchantId, { ...query, page, pageSize: PAGE_SIZE });
      yield items.map((s) => ({ ...s, promotion: names.get(s.promotionId) ?? null }));
      if (items.length < PAGE_SIZE) return;
    }
  }
  return { name: 'Серии купонов', columns, pages: pages() };
}

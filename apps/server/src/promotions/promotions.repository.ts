// The promotions of a merchant filtered as the list shows them (C5): by state at a moment and by
// a part of the name; shared by GET /promotions and its XLSX export.
import type { Db } from '#db/database.ts';
import { containsPattern } from '#db/list-query.ts';

export type PromotionState = 'scheduled' | 'active' | 'ended' | 'archived';
export type PromotionFilter = { state?: PromotionState | undefined; search?: string | undefined };

/** The state of a promotion row at `now` (ms). */
export function stateOf(
  row: { archived_at: Date | null; starts_at: Date | null; ends_at: Date | null },
  now: number,
): PromotionState {
  if (row.archived_at) return 'archived';
  if (row.starts_at && row.starts_at.getTime() > now) return 'scheduled';
  if (row.ends_at && row.ends_at.getTime() <= now) return 'ended';
  return 'active';
}

/** The merchant's promotions matching the filter at `now`, as a query to select from. */
export function promotionsQuery(db: Db, merchantId: string, filter: PromotionFilter, now: Date) {
  let query = db.selectFrom('promotions').where('merchant_id', '=', merchantId);
  if (filter.search) query = query.where('name', 'ilike', containsPattern(filter.search));
  const { state } = filter;
  if (state === 'archived') query = query.where('archived_at', 'is not', null);
  else if (state) {
    query = query.where('archived_at', 'is', null);
    if (state === 'scheduled') query = query.where('starts_at', '>', now);
    if (state === 'ended') query = query.where('ends_at', '<=', now);
    if (state === 'active')
      query = query
        .where((eb) => eb.or([eb('starts_at', 'is', null), eb('starts_at', '<=', now)]))
        .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]));
  }
  return query;
}

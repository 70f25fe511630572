// Personal data edited and consents confirmed at this till reach the server as ops; until a
// snapshot includes them (its applied_seq >= the op's seq) the cached item is the server's older
// view. What the cashier sees is that view with this till's own later ops laid over it, in
// sequence order, exactly as the server will apply them. Dead-lettered ops are left out: the server
// refused them.
import type { BuyerItem } from '@loyalty/protocol/sync/pull.schema';
import type { BuyerUpdatePayload } from '@loyalty/protocol/sync/push.schema';
import type { Sqlite } from '#core/store/database.ts';
import { fromJson } from '#core/store/json-column.ts';
import type { CachedBuyer } from './buyers.repository.ts';

type Row = { kind: 'buyer_update' | 'buyer_consent'; payload: string };

/** The buyer's item with this till's unacknowledged updates and consent confirmations applied. */
export function withLocalChanges(db: Sqlite, cached: CachedBuyer): CachedBuyer {
  const rows = db
    .prepare<[number, string], Row>(
      `SELECT kind, payload FROM outbox
        WHERE seq > ? AND kind IN ('buyer_update', 'buyer_consent') AND status IN ('pending', 'done')
          AND json_extract(payload, '$.buyerId') = ?
        ORDER BY seq`,
    )
    .all(cached.appliedSeq, cached.item.id);
  if (rows.length === 0) return cached;
  let item: BuyerItem = cached.item;
  for (const row of rows) {
    if (row.kind === 'buyer_consent') {
      item = { ...item, consentPending: false };
      continue;
    }
    const c = fromJson<BuyerUpdatePayload>(row.payload).changes;
    item = {
      ...item,
      ...(c.firstName === undefined ? {} : { firstName: c.firstName }),
      ...(c.lastName === undefined ? {} : { lastName: c.lastName }),
      ...(c.birthDate === undefined ? {} : { birthDate: c.birthDate }),
      ...(c.gender === undefined ? {} : { gender: c.gender }),
      ...(c.email === undefined ? {} : { email: c.email }),
      ...(c.phone === undefined ? {} : { phone: c.phone }),
    };
  }
  return { ...cached, item };
}

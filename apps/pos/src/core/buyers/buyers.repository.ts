// Cached buyers with their balance snapshots (SYNC.md `buyers` stream and the on-demand lookup):
// the server's lots as of `snapshotAt`, and `appliedSeq`, the last of this terminal's ops the
// snapshot already includes.
import type { BuyerItem } from '@loyalty/protocol/sync/pull.schema';
import { prepared, type Sqlite } from '#core/store/database.ts';
import { fromJson, toJson } from '#core/store/json-column.ts';

/** Where a cached buyer came from: the stream, a lookup, or a registration made here. */
export type BuyerSource = 'pull' | 'lookup' | 'local';

/** A buyer as the till knows them. */
export type CachedBuyer = {
  readonly item: BuyerItem;
  readonly appliedSeq: number;
  /** Server time the snapshot was read at (the page's or the lookup's `serverTime`). */
  readonly snapshotAt: number;
  readonly source: BuyerSource;
};

type BuyerRow = { body: string; applied_seq: number; snapshot_at: number; source: BuyerSource };

const fromRow = (row: BuyerRow): CachedBuyer => ({
  item: fromJson<BuyerItem>(row.body),
  appliedSeq: row.applied_seq,
  snapshotAt: row.snapshot_at,
  source: row.source,
});

/**
 * Inserts or replaces a buyer with their cards. An older snapshot never replaces a newer one
 * (a lookup may have fetched the buyer after the page being applied was read).
 */
export function putBuyer(
  db: Sqlite,
  item: BuyerItem,
  appliedSeq: number,
  snapshotAt: number,
  source: BuyerSource,
): void {
  // Prepared once per connection: a pulled page applies a thousand buyers in a row.
  const existing = prepared<[string], { snapshot_at: number; applied_seq: number }>(
    db,
    'SELECT snapshot_at, applied_seq FROM cache_buyers WHERE id = ?',
  ).get(item.id);
  if (existing && existing.snapshot_at > snapshotAt && existing.applied_seq >= appliedSeq) return;
  prepared(
    db,
    `INSERT INTO cache_buyers (id, phone, first_name, last_name, card_type_id, body, balance, debt, lots,
       applied_seq, snapshot_at, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET phone = excluded.phone, first_name = excluded.first_name,
       last_name = excluded.last_name, card_type_id = excluded.card_type_id, body = excluded.body,
       balance = excluded.balance, debt = excluded.debt, lots = excluded.lots,
       applied_seq = excluded.applied_seq, snapshot_at = excluded.snapshot_at, source = excluded.source`,
  ).run(
    item.id,
    item.phone,
    item.firstName,
    item.lastName,
    item.cardTypeId,
    toJson(item),
    item.balance,
    item.debt,
    toJson(item.lots),
    appliedSeq,
    snapshotAt,
    source,
  );
  prepared(db, 'DELETE FROM cache_buyer_cards WHERE buyer_id = ?').run(item.id);
  // A card moved to another buyer is re-pointed: the newest snapshot knows best.
  const card = prepared(
    db,
    `INSERT INTO cache_buyer_cards (card_number, buyer_id) VALUES (?, ?)
     ON CONFLICT (card_number) DO UPDATE SET buyer_id = excluded.buyer_id`,
  );
  for (const number of item.cardNumbers) card.run(number, item.id);
}

/** Removes an erased buyer (or one out of this terminal's scope). */
export function deleteBuyer(db: Sqlite, id: string): void {
  db.prepare('DELETE FROM cache_buyers WHERE id = ?').run(id);
}

/** A buyer by id. */
export function getBuyer(db: Sqlite, id: string): CachedBuyer | null {
  const row = db.prepare<[string], BuyerRow>('SELECT * FROM cache_buyers WHERE id = ?').get(id);
  return row ? fromRow(row) : null;
}

/** A buyer by phone in E.164. */
export function getBuyerByPhone(db: Sqlite, phone: string): CachedBuyer | null {
  const row = db
    .prepare<[string], BuyerRow>(
      'SELECT * FROM cache_buyers WHERE phone = ? ORDER BY snapshot_at DESC LIMIT 1',
    )
    .get(phone);
  return row ? fromRow(row) : null;
}

/** A buyer by card number. */
export function getBuyerByCard(db: Sqlite, cardNumber: string): CachedBuyer | null {
  const row = db
    .prepare<[string], BuyerRow>(
      'SELECT b.* FROM cache_buyer_cards c JOIN cache_buyers b ON b.id = c.buyer_id WHERE c.card_number = ?',
    )
    .get(cardNumber);
  return row ? fromRow(row) : null;
}

/**
 * A registration made here was merged by the server into an existing buyer: the local record
 * goes, and the local point movements follow the buyer they now belong to.
 */
export function mergeLocalBuyer(db: Sqlite, localId: string, existingId: string): void {
  db.prepare('UPDATE local_point_movements SET buyer_id = ? WHERE buyer_id = ?').run(existingId, localId);
  db.prepare(`DELETE FROM cache_buyers WHERE id = ? AND source = 'local'`).run(localId);
}

/** How many buyers are cached. */
export const countBuyers = (db: Sqlite): number =>
  db.prepare<[], { n: number }>('SELECT count(*) AS n FROM cache_buyers').get()?.n ?? 0;

// Coupon codes at the till (C6): looked up online before pricing and kept per code and buyer, so
// the engine gets the same counters the server would give it. Offline, the kept counters plus this
// till's own uses not yet in them (receipts with seq > applied_seq) are used; a code never looked
// up here is unknown offline and the engine refuses it (SYNC.md "Coupons at the till").
import type { PresentedCoupon } from '@loyalty/core/engine/calculation-input.schema';
import type { CouponItem } from '@loyalty/protocol/sync/coupon-lookup.schema';
import type { Sqlite } from '#core/store/database.ts';
import { fromJson, toJson } from '#core/store/json-column.ts';

/** Codes compare without spaces and case, as the engine and the server do. */
export const normaliseCouponCode = (code: string): string => code.replace(/\s+/g, '').toUpperCase();

/** Keeps what a lookup answered for this buyer ('' for an anonymous sale). */
export function saveCoupons(
  db: Sqlite,
  buyerId: string | null,
  items: readonly CouponItem[],
  appliedSeq: number,
  at: number,
): void {
  const put = db.prepare(
    `INSERT INTO cache_coupons (code, buyer_key, body, applied_seq, fetched_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (code, buyer_key) DO UPDATE SET body = excluded.body, applied_seq = excluded.applied_seq,
       fetched_at = excluded.fetched_at`,
  );
  db.transaction(() => {
    for (const item of items)
      put.run(normaliseCouponCode(item.code), buyerId ?? '', toJson(item), appliedSeq, at);
  })();
}

type Row = { body: string; applied_seq: number; buyer_key: string };

/** Uses of the code by receipts made here after `afterSeq` (all buyers, and this buyer's). */
function localUses(db: Sqlite, code: string, afterSeq: number, buyerId: string | null) {
  const row = db
    .prepare<[string, string, number], { uses: number; buyer_uses: number }>(
      `SELECT count(*) AS uses, coalesce(sum(r.buyer_id = ?), 0) AS buyer_uses
         FROM receipts r, json_each(r.calculation, '$.coupons.accepted') a
        WHERE json_extract(a.value, '$.code') = ? AND r.seq > ?`,
    )
    .get(buyerId ?? '', code, afterSeq);
  return { uses: row?.uses ?? 0, buyerUses: buyerId === null ? 0 : (row?.buyer_uses ?? 0) };
}

/**
 * The codes as the engine takes them. A code looked up for another buyer still gives its series
 * and shared counters; the buyer's own uses are then only those made here.
 */
export function presentedCouponsAtTill(
  db: Sqlite,
  codes: readonly string[],
  buyerId: string | null,
): PresentedCoupon[] {
  const find = db.prepare<[string, string], Row>(
    `SELECT body, applied_seq, buyer_key FROM cache_coupons WHERE code = ?
      ORDER BY buyer_key = ? DESC, fetched_at DESC LIMIT 1`,
  );
  return codes.map((raw) => {
    const code = normaliseCouponCode(raw);
    const row = find.get(code, buyerId ?? '');
    if (!row) return { code, seriesId: null, uses: 0, buyerUses: 0, issuedToBuyerId: null, blocked: false };
    const item = fromJson<CouponItem>(row.body);
    const sameBuyer = row.buyer_key === (buyerId ?? '');
    const local = localUses(db, code, row.applied_seq, buyerId);
    return {
      code,
      seriesId: item.seriesId,
      uses: item.uses + local.uses,
      buyerUses: (sameBuyer ? item.buyerUses : 0) + local.buyerUses,
      issuedToBuyerId: item.issuedToBuyerId,
      blocked: item.blocked,
    };
  });
}

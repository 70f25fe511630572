// Coupon codes on demand (C6 at the till): the counters of each code read in one snapshot with
// this terminal's last applied op, so the till adds only its own later uses.
import type { z } from 'zod';
import type { couponLookupQuerySchema, CouponItem } from '@loyalty/protocol/sync/coupon-lookup.schema';
import type { Db } from '#db/database.ts';
import { presentedCoupons } from '#purchases/purchase-input.ts';
import type { TerminalActor } from './terminal-auth.ts';

/** The codes with their counters and the terminal's `appliedSeq`. */
export async function lookupCoupons(
  db: Db,
  terminal: TerminalActor,
  query: z.output<typeof couponLookupQuerySchema>,
): Promise<{ coupons: CouponItem[]; appliedSeq: number }> {
  const m = terminal.merchantId;
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      // A buyer registered offline and merged at sync is known here by the till's id.
      const alias =
        query.buyerId === undefined
          ? undefined
          : await trx
              .selectFrom('buyer_aliases')
              .select('buyer_id')
              .where('merchant_id', '=', m)
              .where('alias_id', '=', query.buyerId)
              .executeTakeFirst();
      const buyerId = alias?.buyer_id ?? query.buyerId ?? null;
      const coupons = await presentedCoupons(trx, m, query.codes, buyerId);
      const row = await trx
        .selectFrom('terminals')
        .select('last_seq')
        .where('id', '=', terminal.terminalId)
        .executeTakeFirstOrThrow();
      return {
        coupons: coupons.map((c) => ({
          code: c.code,
          seriesId: c.seriesId,
          uses: c.uses,
          buyerUses: c.buyerUses,
          issuedToBuyerId: c.issuedToBuyerId,
          blocked: c.blocked,
        })),
        appliedSeq: Number(row.last_seq),
      };
    });
}

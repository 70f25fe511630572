// One buyer on demand (B2), when the terminal's cache does not have them: by phone, active card or
// id (a merged registration's id finds the real buyer). Read in one snapshot with appliedSeq.
import type { z } from 'zod';
import type { buyerLookupQuerySchema } from '@loyalty/protocol/sync/pull.schema';
import { normalizePhone } from '@loyalty/core/phones/phone-number';
import type { Db } from '#db/database.ts';
import { ApiError, notFound } from '#http/api-error.ts';
import { buyerItems } from './buyer-items.ts';
import type { TerminalActor } from './terminal-auth.ts';

/** The buyer's item and this terminal's last applied op, from one snapshot; 404 when nobody matches. */
export async function lookupBuyer(
  db: Db,
  terminal: TerminalActor,
  query: z.output<typeof buyerLookupQuerySchema>,
) {
  const m = terminal.merchantId;
  let phone: string | undefined;
  if (query.phone !== undefined) {
    const normalised = normalizePhone(query.phone);
    if (!normalised.ok) throw new ApiError(400, normalised.error.code, normalised.error.message);
    phone = normalised.value;
  }
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      let id: string | undefined;
      if (phone !== undefined)
        id = (
          await trx
            .selectFrom('buyers')
            .select('id')
            .where('merchant_id', '=', m)
            .where('phone', '=', phone)
            .where('erased_at', 'is', null)
            .executeTakeFirst()
        )?.id;
      else if (query.cardNumber !== undefined)
        id =
          (
            await trx
              .selectFrom('cards')
              .select('buyer_id')
              .where('merchant_id', '=', m)
              .where('number', '=', query.cardNumber)
              .where('status', '=', 'active')
              .executeTakeFirst()
          )?.buyer_id ?? undefined;
      else if (query.buyerId !== undefined) {
        const alias = await trx
          .selectFrom('buyer_aliases')
          .select('buyer_id')
          .where('merchant_id', '=', m)
          .where('alias_id', '=', query.buyerId)
          .executeTakeFirst();
        id = alias?.buyer_id ?? query.buyerId;
      }
      const [buyer] = id ? await buyerItems(trx, m, [id]) : [];
      if (!buyer) throw notFound('Покупатель');
      const terminalRow = await trx
        .selectFrom('terminals')
        .select('last_seq')
        .where('id', '=', terminal.terminalId)
        .executeTakeFirstOrThrow();
      // The buyer panel's history (A4): the latest receipts on any till or channel.
      const recent = await trx
        .selectFrom('receipts')
        .select(['id', 'number', 'store_id', 'created_at', 'paid_money', 'points_paid', 'accrual'])
        .where('merchant_id', '=', m)
        .where('buyer_id', '=', buyer.id)
        .orderBy('created_at', 'desc')
        .limit(10)
        .execute();
      return {
        buyer,
        appliedSeq: Number(terminalRow.last_seq),
        recentReceipts: recent.map((r) => ({
          receiptId: r.id,
          number: r.number,
          storeId: r.store_id,
          createdAt: r.created_at.getTime(),
          paidMoney: Number(r.paid_money),
          pointsPaid: Number(r.points_paid),
          accrual: Number(r.accrual),
        })),
      };
    });
}

// The `buyer_consent` op (A2, D6): a buyer registered at a till without a code (offline) confirmed
// the consent to messages with a code on a later purchase. The consents are appended with their
// proof and the buyer is no longer pending, so no till asks again. Applied once per op id by the
// push's op log; a second confirmation (two tills asked at once) only appends its proof.
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { buyerConsentPayloadSchema } from '@loyalty/protocol/sync/push.schema';
import { insertConsents } from '#buyers/consents.repository.ts';
import type { Database } from '#db/database-schema.ts';
import { aliasedBuyerId, auditTerminalChange } from './buyer-op-support.ts';
import { DeadLetterReason, refuse, type OpOutcome } from './op-result.ts';
import type { TerminalActor } from './terminal-auth.ts';

/** Appends the confirmed consents and clears `consent_pending`. */
export async function applyBuyerConsent(
  trx: Transaction<Database>,
  terminal: TerminalActor,
  payload: z.output<typeof buyerConsentPayloadSchema>,
): Promise<OpOutcome> {
  const merchantId = terminal.merchantId;
  const buyerId = await aliasedBuyerId(trx, merchantId, payload.buyerId);
  const row = await trx
    .selectFrom('buyers')
    .select(['id', 'consent_pending'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', buyerId)
    .where('erased_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return refuse(DeadLetterReason.buyerNotFound, 'Покупатель не найден', { buyerId });
  const cashierIds = payload.consents.flatMap((c) => (c.cashierId ? [c.cashierId] : []));
  const known = new Set(
    cashierIds.length === 0
      ? []
      : (
          await trx
            .selectFrom('cashiers')
            .select('id')
            .where('merchant_id', '=', merchantId)
            .where('id', 'in', cashierIds)
            .execute()
        ).map((c) => c.id),
  );
  await insertConsents(
    trx,
    merchantId,
    buyerId,
    payload.consents.map((c) => ({
      kind: c.kind,
      granted: true,
      channel: c.channel,
      textVersion: c.textVersion,
      code: c.code,
      cashierId: c.cashierId && known.has(c.cashierId) ? c.cashierId : null,
      recordedAt: new Date(c.confirmedAt).toISOString(),
    })),
    new Date(),
  );
  if (row.consent_pending)
    await trx
      .updateTable('buyers')
      .set({ consent_pending: false, updated_at: new Date() })
      .where('id', '=', buyerId)
      .execute();
  await auditTerminalChange(trx, terminal, {
    action: 'buyer.consent_confirmed',
    entityId: buyerId,
    before: { consentPending: row.consent_pending },
    after: { consentPending: false, consents: payload.consents.map((c) => c.kind) },
  });
  return { ok: true, answer: { buyerId } };
}

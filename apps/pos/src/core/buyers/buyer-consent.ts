// Consent after an offline registration (A2, D6): the buyer was registered without a code because
// none could be sent; on the next purchase, on any till of the merchant (the pending state comes
// with the buyer from the server), the cashier sends the code, the buyer tells it, and the
// consent goes to the server as a `buyer_consent` op with its proof (channel, text version, time,
// code, cashier). Skipping it ("without code") leaves the buyer pending: the next purchase asks again.
import { ok } from '@loyalty/core/shared/result';
import type { BuyerConsentPayload } from '@loyalty/protocol/sync/push.schema';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { enqueueOp } from '#core/store/outbox.repository.ts';
import { fail, TerminalError, type HandlerResult } from '#core/shared/terminal-error.ts';
import type { z } from 'zod';
import { present, type IdentifiedBuyer } from './buyer-service.ts';
import type { confirmConsentArgsSchema } from './buyer.schema.ts';
import { withLocalChanges } from './buyer-local-changes.ts';
import { getBuyer, type CachedBuyer } from './buyers.repository.ts';
import { checkPurposeCode, sendPurposeCode } from './confirmation-codes.ts';

const consentKey = (phone: string) => `consent:${phone}`;

function pendingBuyer(ctx: TerminalContext, buyerId: string): HandlerResult<CachedBuyer & { phone: string }> {
  const cached = getBuyer(ctx.db, buyerId);
  if (!cached)
    return fail(TerminalError.buyerNotFound, 'Покупатель не найден на терминале: определите его заново.');
  const buyer = withLocalChanges(ctx.db, cached);
  if (!buyer.item.consentPending)
    return fail('consent_not_pending', 'Согласие этого покупателя уже подтверждено.');
  if (!buyer.item.phone) return fail('phone_missing', 'У покупателя нет телефона: код отправить некуда.');
  return ok({ ...buyer, phone: buyer.item.phone });
}

/** `buyer.sendConsentCode`: the code for the pending consent, to the buyer's phone. */
export async function sendConsentCode(
  ctx: TerminalContext,
  buyerId: string,
): Promise<HandlerResult<{ phone: string; sent: true }>> {
  const buyer = pendingBuyer(ctx, buyerId);
  if (!buyer.ok) return buyer;
  return sendPurposeCode(
    ctx,
    consentKey(buyer.value.phone),
    buyer.value.phone,
    (code) => `Код подтверждения согласия на сообщения программы лояльности: ${code}. Сообщите его кассиру.`,
  );
}

/** `buyer.confirmConsent`: checks the code and queues the consent with its proof. */
export function confirmConsent(
  ctx: TerminalContext,
  args: z.output<typeof confirmConsentArgsSchema>,
): HandlerResult<IdentifiedBuyer> {
  const buyer = pendingBuyer(ctx, args.buyerId);
  if (!buyer.ok) return buyer;
  const checked = checkPurposeCode(ctx, consentKey(buyer.value.phone), args.code);
  if (!checked.ok) return checked;
  const now = ctx.clock.now();
  const cashier = ctx.session.current();
  const payload: BuyerConsentPayload = {
    buyerId: buyer.value.item.id,
    consents: args.kinds.map((kind) => ({
      kind,
      channel: 'till' as const,
      textVersion: args.textVersion,
      confirmedAt: now,
      code: args.code,
      cashierId: cashier?.cashierId ?? null,
    })),
  };
  ctx.db.transaction(() => {
    enqueueOp(ctx.db, { kind: 'buyer_consent', payload, occurredAt: now }, ctx.clock.deviceNow());
  })();
  ctx.codes.forget(consentKey(buyer.value.phone));
  ctx.sync.requestPush();
  const cached = getBuyer(ctx.db, args.buyerId);
  if (!cached) throw new Error('confirmed buyer vanished');
  return ok(present(ctx, cached, 'manual'));
}

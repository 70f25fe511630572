// Paying with points confirmed by a code (A3): a promotion flag (`requiresConfirmationCode`) or
// the programme setting `redemptionRequiresCode` makes the engine's calculation ask for one. The
// till sends the code to the buyer's phone and `sale.commit` takes it as `pointsCode`. Offline no
// code can be sent, so such a payment is refused in words and the sale goes on without points.
import { ok } from '@loyalty/core/shared/result';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { getBuyer } from '#core/buyers/buyers.repository.ts';
import { sendPurposeCode } from '#core/buyers/confirmation-codes.ts';
import { fail, TerminalError, type HandlerResult } from '#core/shared/terminal-error.ts';

const pointsKey = (buyerId: string) => `points:${buyerId}`;

const OFFLINE_MESSAGE =
  'Списание баллов по этой акции или настройке программы подтверждается кодом из сообщения, а связи сейчас нет: продайте без списания баллов.';

/** True when this calculation pays with points that need a code. */
export const needsPointsCode = (calculation: Calculation): boolean =>
  calculation.requiresConfirmationCode && calculation.totals.pointsPaid > 0;

/** `sale.sendPointsCode`: the code to the buyer's phone. */
export async function sendPointsCode(
  ctx: TerminalContext,
  buyerId: string,
): Promise<HandlerResult<{ phone: string; sent: true }>> {
  const buyer = getBuyer(ctx.db, buyerId);
  if (!buyer)
    return fail(TerminalError.buyerNotFound, 'Покупатель не найден на терминале: определите его заново.');
  if (!buyer.item.phone) return fail('phone_missing', 'У покупателя нет телефона: код отправить некуда.');
  if (!ctx.sync.isOnline()) return fail('points_code_offline', OFFLINE_MESSAGE);
  return sendPurposeCode(
    ctx,
    pointsKey(buyer.item.id),
    buyer.item.phone,
    (code) => `Код для оплаты покупки баллами: ${code}. Сообщите его кассиру, только если вы на кассе.`,
  );
}

/**
 * Before booking: a payment that needs a code has the code sent for this buyer, told by the buyer.
 * The code is checked here (wrong tries count against it) and used up by `consumePointsCode`.
 */
export function checkPointsCode(
  ctx: TerminalContext,
  calculation: Calculation,
  buyerId: string | null,
  offline: boolean,
  code: string | undefined,
): HandlerResult<null> {
  if (!needsPointsCode(calculation) || !buyerId) return ok(null);
  if (offline) return fail('points_code_offline', OFFLINE_MESSAGE);
  const key = pointsKey(buyerId);
  const now = ctx.clock.now();
  if (!code)
    return fail(
      'points_code_required',
      'Оплата баллами подтверждается кодом: отправьте покупателю код и введите его.',
    );
  if (ctx.codes.isConfirmed(key, code, now)) return ok(null);
  switch (ctx.codes.check(key, code, now)) {
    case 'ok':
      return ok(null);
    case 'missing':
      return fail('points_code_required', 'Код не отправлялся: отправьте покупателю код для оплаты баллами.');
    case 'expired':
      return fail('code_expired', 'Срок действия кода истёк: отправьте новый код.');
    case 'locked':
      return fail('code_locked', 'Слишком много неверных попыток: отправьте новый код.');
    case 'wrong':
      return fail('code_wrong', 'Неверный код оплаты баллами. Проверьте цифры и попробуйте снова.');
  }
}

/** The code paid one receipt: the next payment needs a new one. */
export const consumePointsCode = (ctx: TerminalContext, buyerId: string): void =>
  ctx.codes.forget(pointsKey(buyerId));

// Personal data edited at the till (A4): name, birth date, gender, e-mail at once; a new phone only
// with a code sent to it and confirmed (it is the buyer's identity and the channel of consent).
// The change is queued as a `buyer_update` op carrying only the fields edited: the server keeps
// the latest writer per field in its order of application (SYNC.md), so edits of different fields
// on two tills both survive. The till shows the edit at once (buyer-local-changes.ts).
import { ok } from '@loyalty/core/shared/result';
import { maskPhone, normalizePhone } from '@loyalty/core/phones/phone-number';
import type { BuyerUpdatePayload } from '@loyalty/protocol/sync/push.schema';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { enqueueOp } from '#core/store/outbox.repository.ts';
import { fail, TerminalError, type HandlerResult } from '#core/shared/terminal-error.ts';
import { present, type IdentifiedBuyer } from './buyer-service.ts';
import type { UpdateArgs } from './buyer.schema.ts';
import { getBuyer, getBuyerByPhone } from './buyers.repository.ts';
import { checkPurposeCode, sendPurposeCode } from './confirmation-codes.ts';
import { cachedQuestionnaire, type FormIssue } from './till-questionnaire.ts';

const phoneKey = (buyerId: string, phone: string) => `phone:${buyerId}:${phone}`;

/** `buyer.sendPhoneCode`: a code to the new phone, which must be free. */
export async function sendPhoneCode(
  ctx: TerminalContext,
  buyerId: string,
  phoneInput: string,
): Promise<HandlerResult<{ phone: string; sent: true }>> {
  if (!getBuyer(ctx.db, buyerId))
    return fail(TerminalError.buyerNotFound, 'Покупатель не найден на терминале: определите его заново.');
  const phone = normalizePhone(phoneInput);
  if (!phone.ok) return phone;
  const holder = getBuyerByPhone(ctx.db, phone.value);
  if (holder && holder.item.id !== buyerId)
    return fail('phone_taken', 'Этот телефон уже у другого покупателя: проверьте номер.');
  return sendPurposeCode(
    ctx,
    phoneKey(buyerId, phone.value),
    phone.value,
    (code) => `Код для смены телефона в программе лояльности: ${code}. Сообщите его кассиру.`,
  );
}

/** `buyer.update`: checks the edit against the questionnaire and queues it. */
export function updateBuyer(ctx: TerminalContext, args: UpdateArgs): HandlerResult<IdentifiedBuyer> {
  const cached = getBuyer(ctx.db, args.buyerId);
  if (!cached)
    return fail(TerminalError.buyerNotFound, 'Покупатель не найден на терминале: определите его заново.');
  const changes: BuyerUpdatePayload['changes'] = {};
  const { phone: phoneInput, ...profile } = args.changes;
  const now = ctx.clock.now();
  if (phoneInput !== undefined) {
    const phone = normalizePhone(phoneInput);
    if (!phone.ok) return phone;
    if (phone.value !== cached.item.phone) {
      const holder = getBuyerByPhone(ctx.db, phone.value);
      if (holder && holder.item.id !== cached.item.id)
        return fail('phone_taken', 'Этот телефон уже у другого покупателя: проверьте номер.');
      const key = phoneKey(cached.item.id, phone.value);
      if (!args.phoneCode)
        return fail(
          'phone_code_required',
          `Новый телефон ${maskPhone(phone.value) ?? ''} меняют только по коду: отправьте код на новый номер и введите его.`,
        );
      if (!ctx.codes.isConfirmed(key, args.phoneCode, now)) {
        const checked = checkPurposeCode(ctx, key, args.phoneCode);
        if (!checked.ok) return checked;
      }
      changes.phone = phone.value;
    }
  }
  const questionnaire = cachedQuestionnaire(ctx.db);
  const issues: FormIssue[] = [];
  for (const [key, raw] of Object.entries(profile)) {
    const name = key as keyof typeof profile;
    const value = typeof raw === 'string' && raw.trim() === '' ? null : raw;
    const rule = questionnaire.standardFields[name];
    if (!rule.enabled && value !== null)
      issues.push({ field: name, message: 'Это поле выключено в анкете магазина: оставьте его пустым.' });
    else if (rule.required && value === null)
      issues.push({ field: name, message: 'Обязательное поле анкеты: его нельзя очистить.' });
    else (changes as Record<string, unknown>)[name] = value;
  }
  if (profile.birthDate && profile.birthDate > new Date(now).toISOString().slice(0, 10))
    issues.push({ field: 'birthDate', message: 'Дата рождения не может быть в будущем.' });
  if (issues.length > 0)
    return fail('questionnaire_invalid', `Проверьте данные: ${issues.map((i) => i.message).join(' ')}`, {
      issues,
    });
  if (Object.keys(changes).length === 0) return ok(present(ctx, cached, 'manual'));
  const payload: BuyerUpdatePayload = { buyerId: cached.item.id, changes };
  ctx.db.transaction(() => {
    enqueueOp(ctx.db, { kind: 'buyer_update', payload, occurredAt: now }, ctx.clock.deviceNow());
  })();
  if (changes.phone) ctx.codes.forget(phoneKey(cached.item.id, changes.phone));
  ctx.sync.requestPush();
  return ok(present(ctx, cached, 'manual'));
}

// Registration codes (A2): sent to the buyer's phone through the message provider, told to the
// cashier, checked at once. The code the buyer confirmed is the proof of consent stored with the
// registration. Pending codes live in memory: a restart only means sending a new one.
import { randomInt } from 'node:crypto';
import { ok } from '@loyalty/core/shared/result';
import { normalizePhone } from '@loyalty/core/phones/phone-number';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { fail, type HandlerResult } from '#core/shared/terminal-error.ts';
import { getBuyerByPhone } from './buyers.repository.ts';

const CODE_TTL_MS = 10 * 60_000;
const RESEND_AFTER_MS = 30_000;
const MAX_ATTEMPTS = 5;

type Pending = { code: string; sentAt: number; attempts: number; confirmed: boolean };

/**
 * Codes by key, per core: the phone (E.164) for registration, `consent:<phone>` for a consent
 * confirmed after an offline registration, `points:<phone>` to pay with points, `phone:<buyer>:<new
 * phone>` for a phone change. The purposes never share a code.
 */
export class ConfirmationCodes {
  private readonly byPhone = new Map<string, Pending>();
  /** Phones the message provider failed to reach: registering them without a code is allowed. */
  private readonly undeliverable = new Set<string>();

  markUndeliverable(phone: string): void {
    this.undeliverable.add(phone);
  }

  isUndeliverable(phone: string): boolean {
    return this.undeliverable.has(phone);
  }

  issue(phone: string, now: number): { code: string } | { waitMs: number } {
    const current = this.byPhone.get(phone);
    if (current && !current.confirmed && now - current.sentAt < RESEND_AFTER_MS)
      return { waitMs: RESEND_AFTER_MS - (now - current.sentAt) };
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.byPhone.set(phone, { code, sentAt: now, attempts: 0, confirmed: false });
    return { code };
  }

  check(phone: string, code: string, now: number): 'ok' | 'missing' | 'expired' | 'wrong' | 'locked' {
    const p = this.byPhone.get(phone);
    if (!p) return 'missing';
    if (now - p.sentAt > CODE_TTL_MS) return 'expired';
    if (p.attempts >= MAX_ATTEMPTS) return 'locked';
    if (p.code !== code) {
      p.attempts++;
      return 'wrong';
    }
    p.confirmed = true;
    return 'ok';
  }

  /** True when `code` was confirmed for `phone` and has not expired. */
  isConfirmed(phone: string, code: string, now: number): boolean {
    const p = this.byPhone.get(phone);
    return !!p && p.confirmed && p.code === code && now - p.sentAt <= CODE_TTL_MS;
  }

  forget(phone: string): void {
    this.byPhone.delete(phone);
    this.undeliverable.delete(phone);
  }
}

/** `buyer.sendCode`: a new code to the phone of a buyer about to register. */
export async function sendRegistrationCode(
  ctx: TerminalContext,
  phoneInput: string,
): Promise<HandlerResult<{ phone: string; sent: true }>> {
  const phone = normalizePhone(phoneInput);
  if (!phone.ok) return phone;
  if (getBuyerByPhone(ctx.db, phone.value))
    return fail('buyer_exists', 'Покупатель с таким телефоном уже зарегистрирован: найдите его по телефону.');
  const issued = ctx.codes.issue(phone.value, ctx.clock.now());
  if ('waitMs' in issued)
    return fail(
      'code_too_soon',
      `Код уже отправлен. Новый можно отправить через ${Math.ceil(issued.waitMs / 1000)} с.`,
    );
  const sent = await ctx.messages.send({
    to: phone.value,
    text: `Код для регистрации в программе лояльности: ${issued.code}. Сообщите его кассиру.`,
  });
  if (!sent.ok) {
    ctx.codes.forget(phone.value);
    ctx.codes.markUndeliverable(phone.value);
    return fail(
      'message_failed',
      `Не удалось отправить код: ${sent.error.message}. Зарегистрируйте покупателя без кода: согласие подтвердим кодом при следующей покупке.`,
      { withoutCode: true },
    );
  }
  return ok({ phone: phone.value, sent: true });
}

/**
 * Sends a code for `purpose` to a buyer's phone; `key` is the code's key in `ctx.codes`. Offline
 * or with the provider out of reach the answer says so in words.
 */
export async function sendPurposeCode(
  ctx: TerminalContext,
  key: string,
  phone: string,
  text: (code: string) => string,
): Promise<HandlerResult<{ phone: string; sent: true }>> {
  const issued = ctx.codes.issue(key, ctx.clock.now());
  if ('waitMs' in issued)
    return fail(
      'code_too_soon',
      `Код уже отправлен. Новый можно отправить через ${Math.ceil(issued.waitMs / 1000)} с.`,
    );
  const sent = await ctx.messages.send({ to: phone, text: text(issued.code) });
  if (!sent.ok) {
    ctx.codes.forget(key);
    return fail('message_failed', `Не удалось отправить код: ${sent.error.message}.`);
  }
  return ok({ phone, sent: true });
}

/** Checks a code sent by `sendPurposeCode`; the answer's message tells the cashier what to do. */
export function checkPurposeCode(ctx: TerminalContext, key: string, code: string): HandlerResult<true> {
  switch (ctx.codes.check(key, code, ctx.clock.now())) {
    case 'ok':
      return ok(true);
    case 'missing':
      return fail('code_missing', 'Код не отправлялся: сначала отправьте код.');
    case 'expired':
      return fail('code_expired', 'Срок действия кода истёк: отправьте новый код.');
    case 'locked':
      return fail('code_locked', 'Слишком много неверных попыток: отправьте новый код.');
    case 'wrong':
      return fail('code_wrong', 'Неверный код. Проверьте цифры и попробуйте снова.');
  }
}

/** `buyer.checkCode`: the code the buyer told the cashier. */
export function checkRegistrationCode(
  ctx: TerminalContext,
  phoneInput: string,
  code: string,
): HandlerResult<{ confirmed: true }> {
  const phone = normalizePhone(phoneInput);
  if (!phone.ok) return phone;
  switch (ctx.codes.check(phone.value, code, ctx.clock.now())) {
    case 'ok':
      return ok({ confirmed: true });
    case 'missing':
      return fail('code_missing', 'Код на этот телефон не отправлялся: отправьте код.');
    case 'expired':
      return fail('code_expired', 'Срок действия кода истёк: отправьте новый код.');
    case 'locked':
      return fail('code_locked', 'Слишком много неверных попыток: отправьте новый код.');
    case 'wrong':
      return fail('code_wrong', 'Неверный код. Проверьте цифры и попробуйте снова.');
  }
}

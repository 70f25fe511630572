// Buyer identification at the till (phone, card, QR, id) from the cache, with an online lookup for
// buyers the cache does not hold; and registration, queued as an op for the server.
import type { BuyerItem } from '@loyalty/protocol/sync/pull.schema';
import type { BuyerRegistrationPayload } from '@loyalty/protocol/sync/push.schema';
import { ok, type Problem, type Result } from '@loyalty/core/shared/result';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { createQrVerifier } from '#core/qr/qr-verifier.ts';
import { offlineAllowanceFor } from '#core/sale/sale-pricing.ts';
import { getSettings } from '#core/store/cache-settings.repository.ts';
import { getIdentity } from '#core/store/identity.repository.ts';
import { enqueueOp } from '#core/store/outbox.repository.ts';
import { fail, notPaired, TerminalError, type HandlerResult } from '#core/shared/terminal-error.ts';
import { uuidv7 } from '#core/shared/uuidv7.ts';
import type { BuyerLookup } from '#core/sync/sync-client.ts';
import { buyerPoints, type BuyerPoints } from './buyer-balance.ts';
import type { IdentifyArgs, RegisterArgs } from './buyer.schema.ts';
import {
  getBuyer,
  getBuyerByCard,
  getBuyerByPhone,
  putBuyer,
  type CachedBuyer,
} from './buyers.repository.ts';
import { maskPhone, normalizePhone } from '@loyalty/core/phones/phone-number';
import { sqliteSeenQrWindows } from './seen-qr-windows.repository.ts';
import { withLocalChanges } from './buyer-local-changes.ts';
import { cachedQuestionnaire, checkForm, formFor, receiptCategories } from './till-questionnaire.ts';

/** A buyer as the cashier sees them after identification. */
export type IdentifiedBuyer = {
  readonly buyerId: string;
  readonly identifiedBy: 'phone' | 'card' | 'qr' | 'manual';
  readonly firstName: string | null;
  readonly lastName: string | null;
  /** Masked for the screen a buyer may see. */
  readonly phone: string | null;
  readonly cardTypeId: string | null;
  readonly cardTypeName: string | null;
  readonly points: BuyerPoints;
  /** Offline: the most the limits let this buyer spend now, and why (null online). */
  readonly offlineLimit: { readonly maxPoints: number; readonly reason: string | null } | null;
  readonly source: CachedBuyer['source'];
  /** Registered without a code: ask the code for the consent on this purchase (A2). */
  readonly consentPending: boolean;
};

function cardTypeName(ctx: TerminalContext, id: string | null): string | null {
  if (!id) return null;
  const rules = ctx.db
    .prepare<[], { snapshot: string }>(`SELECT snapshot FROM cache_rules WHERE id = 'rules'`)
    .get();
  if (!rules) return null;
  const snapshot = JSON.parse(rules.snapshot) as { cardTypes?: Array<{ id: string; name: string }> };
  return snapshot.cardTypes?.find((t) => t.id === id)?.name ?? null;
}

/** The buyer as the cashier sees them, this till's queued edits included. */
export function present(
  ctx: TerminalContext,
  cached: CachedBuyer,
  by: IdentifiedBuyer['identifiedBy'],
): IdentifiedBuyer {
  const buyer = withLocalChanges(ctx.db, cached);
  const now = ctx.clock.now();
  const points = buyerPoints(ctx.db, buyer, now);
  const limit = ctx.sync.isOnline() ? null : offlineAllowanceFor(ctx, buyer, now);
  return {
    buyerId: buyer.item.id,
    identifiedBy: by,
    firstName: buyer.item.firstName,
    lastName: buyer.item.lastName,
    phone: maskPhone(buyer.item.phone),
    cardTypeId: buyer.item.cardTypeId,
    cardTypeName: cardTypeName(ctx, buyer.item.cardTypeId),
    points,
    offlineLimit: limit
      ? { maxPoints: Math.min(limit.maxPoints, points.available), reason: limit.reason?.message ?? null }
      : null,
    source: buyer.source,
    // Items cached before the flag shipped have none: nothing is pending for them.
    consentPending: buyer.item.consentPending ?? false,
  };
}

/** Looks a buyer up on the server when the cache has none; offline says so in words. */
async function fromServer(
  ctx: TerminalContext,
  query: BuyerLookup,
  what: string,
): Promise<Result<CachedBuyer, Problem>> {
  const notFound = fail(
    TerminalError.buyerNotFound,
    `Покупатель ${what} не найден. Проверьте данные или зарегистрируйте покупателя.`,
  );
  if (getIdentity(ctx.db).status !== 'paired') return notFound;
  const found = await ctx.sync.lookupBuyer(query);
  if (found.ok) return found.value ? ok(found.value) : notFound;
  if (found.error.code === TerminalError.serverUnreachable)
    return fail(
      TerminalError.buyerNotFound,
      `Покупатель ${what} не найден на терминале, а сервер сейчас недоступен. Продайте без карты или зарегистрируйте покупателя.`,
    );
  return fail(found.error.code, found.error.message, found.error.details);
}

/** `buyer.identify`. */
export async function identifyBuyer(
  ctx: TerminalContext,
  args: IdentifyArgs,
): Promise<HandlerResult<IdentifiedBuyer>> {
  if (args.phone !== undefined) {
    const phone = normalizePhone(args.phone);
    if (!phone.ok) return phone;
    const cached = getBuyerByPhone(ctx.db, phone.value);
    if (cached) return ok(present(ctx, cached, 'phone'));
    const found = await fromServer(ctx, { phone: phone.value }, 'с таким телефоном');
    return found.ok ? ok(present(ctx, found.value, 'phone')) : found;
  }
  if (args.cardNumber !== undefined) {
    const cached = getBuyerByCard(ctx.db, args.cardNumber);
    if (cached) return ok(present(ctx, cached, 'card'));
    const found = await fromServer(ctx, { cardNumber: args.cardNumber }, 'с такой картой');
    return found.ok ? ok(present(ctx, found.value, 'card')) : found;
  }
  if (args.qr !== undefined) {
    const identity = getIdentity(ctx.db);
    if (!identity.merchantId) return notPaired();
    const verify = createQrVerifier({
      merchantId: identity.merchantId,
      serverPublicKey: () => getSettings(ctx.db)?.qrPublicKey ?? null,
      seen: sqliteSeenQrWindows(ctx.db),
      now: () => ctx.clock.now(),
    });
    const verified = verify(args.qr);
    if (!verified.ok) return verified;
    const buyerId = verified.value.buyerId;
    const cached = getBuyer(ctx.db, buyerId);
    if (cached) return ok(present(ctx, cached, 'qr'));
    const found = await fromServer(ctx, { buyerId }, 'из QR-кода');
    return found.ok ? ok(present(ctx, found.value, 'qr')) : found;
  }
  const id = args.buyerId ?? '';
  const cached = getBuyer(ctx.db, id);
  if (cached) return ok(present(ctx, cached, 'manual'));
  const found = await fromServer(ctx, { buyerId: id }, 'с таким кодом');
  return found.ok ? ok(present(ctx, found.value, 'manual')) : found;
}

/**
 * `buyer.register`: the buyer exists at once on this till (so the sale can go on and accrue),
 * and the registration op goes to the server, which may merge it into a buyer registered
 * meanwhile elsewhere with the same phone.
 */
export function registerBuyer(ctx: TerminalContext, args: RegisterArgs): HandlerResult<IdentifiedBuyer> {
  const identity = getIdentity(ctx.db);
  if (!identity.merchantId) return notPaired();
  const phone = normalizePhone(args.phone);
  if (!phone.ok) return phone;
  const existing = getBuyerByPhone(ctx.db, phone.value);
  if (existing)
    return fail(
      'buyer_exists',
      'Покупатель с таким телефоном уже зарегистрирован: он определён по телефону.',
      {
        buyer: present(ctx, existing, 'phone'),
      },
    );
  if (args.cardNumber && getBuyerByCard(ctx.db, args.cardNumber))
    return fail('card_taken', 'Эта карта уже выдана другому покупателю: возьмите другую карту.');
  const now = ctx.clock.now();
  const questionnaire = cachedQuestionnaire(ctx.db);
  const issues = checkForm(
    formFor(questionnaire, receiptCategories(ctx.db, args.productIds)),
    questionnaire,
    args,
    new Date(now).toISOString().slice(0, 10),
  );
  if (issues.length > 0)
    return fail('questionnaire_invalid', `Заполните анкету: ${issues.map((i) => i.message).join(' ')}`, {
      issues,
    });
  if (args.withoutCode) {
    // Without a code only when none can be sent now; the consent is then asked on the next purchase.
    if (ctx.sync.isOnline() && !ctx.codes.isUndeliverable(phone.value))
      return fail(
        'code_required',
        'Связь есть: отправьте покупателю код. Без кода регистрируют, только когда код не отправить.',
      );
  } else {
    // A consent with a code is proof only if that code was sent to this phone and confirmed here.
    const unconfirmed = args.consents.find(
      (c) => c.code !== null && !ctx.codes.isConfirmed(phone.value, c.code, now),
    );
    if (unconfirmed)
      return fail(
        'code_not_confirmed',
        'Код согласия не подтверждён для этого телефона: отправьте код и проверьте его.',
      );
  }
  const consentPending = args.withoutCode && args.consents.length > 0;
  const cashier = ctx.session.current();
  const buyerId = uuidv7(now);
  const item: BuyerItem = {
    id: buyerId,
    phone: phone.value,
    firstName: args.firstName,
    lastName: args.lastName,
    cardNumbers: args.cardNumber ? [args.cardNumber] : [],
    cardTypeId: null,
    registeredAt: now,
    birthDate: args.birthDate,
    gender: args.gender,
    email: args.email,
    consentPending,
    referrerId: args.referrerId,
    tags: [],
    favouriteCategoryIds: [],
    purchasesCount: 0,
    purchasesTotal: 0,
    lastPurchaseAt: null,
    balance: 0,
    debt: 0,
    lots: [],
  };
  const payload: BuyerRegistrationPayload = {
    buyerId,
    phone: phone.value,
    firstName: args.firstName,
    lastName: args.lastName,
    middleName: args.middleName,
    birthDate: args.birthDate,
    gender: args.gender,
    email: args.email,
    cardNumber: args.cardNumber,
    answers: args.answers,
    consentPending,
    // Without a code there is no proof yet: the consents go with the code, in a `buyer_consent` op.
    consents: (consentPending ? [] : args.consents).map((c) => ({
      kind: c.kind,
      channel: 'till' as const,
      textVersion: c.textVersion,
      confirmedAt: now,
      code: c.code,
      cashierId: cashier?.cashierId ?? null,
    })),
    referrerId: args.referrerId,
  };
  ctx.db.transaction(() => {
    const { seq } = enqueueOp(
      ctx.db,
      { kind: 'buyer_registration', payload, occurredAt: now },
      ctx.clock.deviceNow(),
    );
    // appliedSeq = seq - 1: the registration itself is not in the (empty) snapshot yet.
    putBuyer(ctx.db, item, seq - 1, now, 'local');
  })();
  ctx.codes.forget(phone.value);
  ctx.sync.requestPush();
  const created = getBuyer(ctx.db, buyerId);
  if (!created) throw new Error('registered buyer vanished');
  return ok(present(ctx, created, 'phone'));
}

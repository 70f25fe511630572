// Buyer writes that span tables: registration with consents and a card, profile changes checked
// against the questionnaire, and erasure. Each runs in one transaction with its audit entry.
import type { z } from 'zod';
import type { buyerCreateSchema, buyerUpdateSchema } from '@loyalty/protocol/api/buyers.schema';
import { countErrors } from '@loyalty/core/shared/russian-plural';
import { writeAudit } from '#audit/audit.repository.ts';
import type { Actor } from '#auth/actor.ts';
import { attachCard, blockBuyerCards, findCardByNumber } from '#cards/cards.repository.ts';
import type { Db } from '#db/database.ts';
import { isUniqueViolation } from '#db/pg-error.ts';
import { ApiError, badRequest, conflict, ErrorCode, notFound } from '#http/api-error.ts';
import { checkProfile, type ProfileInput } from '#questionnaire/questionnaire-check.ts';
import { listFields, loadStandardFields } from '#questionnaire/questionnaire.repository.ts';
import {
  buyerIdByPhone,
  buyerView,
  eraseBuyer,
  findBuyer,
  insertBuyer,
  merchantClock,
  redactBuyerAudit,
  redactBuyerDeadLetters,
  updateBuyer,
} from './buyers.repository.ts';
import { consentView, insertConsents, type ConsentInput } from './consents.repository.ts';
import { phoneOrRefuse } from './phone-number.ts';
import { checkReferrer, referralModeFor } from './referral-policy.ts';

type BuyerCreate = z.infer<typeof buyerCreateSchema>;
type BuyerUpdate = z.infer<typeof buyerUpdateSchema>;
type Answers = Record<string, string | number | null>;

/** A till's clock may run a little ahead; a consent further in the future is a mistake. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const ERASED_CARD_REASON = 'Данные покупателя удалены';

const blankToNull = (value: string | null | undefined) => (value === '' ? null : value);

/** The profile fields of a body with empty strings read as "no value". */
function profileOf(body: BuyerUpdate): ProfileInput {
  return {
    firstName: blankToNull(body.firstName),
    lastName: blankToNull(body.lastName),
    middleName: blankToNull(body.middleName),
    gender: body.gender,
    birthDate: body.birthDate,
    email: body.email === undefined || body.email === null ? body.email : body.email.toLowerCase(),
    ...(body.answers === undefined
      ? {}
      : {
          answers: Object.fromEntries(Object.entries(body.answers).map(([k, v]) => [k, v === '' ? null : v])),
        }),
  };
}

function invalid(issues: Array<{ path: string; code: string; message: string }>): ApiError {
  return badRequest(
    ErrorCode.invalidRequest,
    `Неверный запрос: ${countErrors(issues.length)}. Исправьте поля, указанные в деталях.`,
    { issues },
  );
}

async function checkQuestionnaire(
  db: Db,
  merchantId: string,
  profile: ProfileInput,
  mode: 'create' | 'update',
  today: string,
): Promise<void> {
  const standardFields = await loadStandardFields(db, merchantId);
  const fields = await listFields(db, merchantId);
  const issues = checkProfile({ standardFields, fields }, profile, mode, today);
  if (issues.length > 0) throw invalid(issues);
}

const duplicatePhone = (buyerId: string | null) =>
  conflict('Покупатель с таким телефоном уже есть', { buyerId });

async function refusePhoneTaken(db: Db, merchantId: string, phone: string, self: string | null) {
  const holder = await buyerIdByPhone(db, merchantId, phone);
  if (holder && holder !== self) throw duplicatePhone(holder);
}

/** Stores, cashiers and categories named in a body must be this merchant's. */
async function checkReferences(
  db: Db,
  merchantId: string,
  refs: { storeIds: string[]; cashierIds: string[]; categoryIds: string[] },
): Promise<void> {
  const missing = async (table: 'stores' | 'cashiers' | 'categories', ids: string[]) => {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return false;
    const found = await db
      .selectFrom(table)
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('id', 'in', unique)
      .execute();
    return found.length !== unique.length;
  };
  if (await missing('stores', refs.storeIds)) throw notFound('Магазин');
  if (await missing('cashiers', refs.cashierIds)) throw notFound('Кассир');
  if (await missing('categories', refs.categoryIds)) throw notFound('Категория');
}

function checkConsentTimes(consents: ConsentInput[], now: Date, path: (i: number) => string): void {
  const issues = consents.flatMap((consent, i) =>
    consent.recordedAt && Date.parse(consent.recordedAt) > now.getTime() + CLOCK_SKEW_MS
      ? [{ path: path(i), code: 'consent_in_future', message: 'Время согласия в будущем' }]
      : [],
  );
  if (issues.length > 0) throw invalid(issues);
}

async function resolveReferrer(
  db: Db,
  merchantId: string,
  referrerId: string | null | undefined,
  referrerPhone: string | null,
): Promise<string | null> {
  if (referrerPhone) {
    const id = await buyerIdByPhone(db, merchantId, referrerPhone);
    if (!id) throw notFound('Рекомендатель');
    return id;
  }
  if (referrerId) {
    if (!(await findBuyer(db, merchantId, referrerId))) throw notFound('Рекомендатель');
    return referrerId;
  }
  return null;
}

async function mapPhoneRace<T>(db: Db, merchantId: string, phone: string | null, run: () => Promise<T>) {
  try {
    return await run();
  } catch (error) {
    // A concurrent registration with the same phone slipped past the pre-check.
    if (phone && isUniqueViolation(error, 'buyers_phone_key'))
      throw duplicatePhone((await buyerIdByPhone(db, merchantId, phone)) ?? null);
    throw error;
  }
}

/** Registers a buyer: questionnaire, phone, referrer, card and consents with proof (D1, D2, D6). */
export async function registerBuyer(db: Db, actor: Actor, body: BuyerCreate, now: Date) {
  const merchantId = actor.merchantId;
  const phone = body.phone ? phoneOrRefuse(body.phone, 'body.phone') : null;
  const referrerPhone = body.referrerPhone ? phoneOrRefuse(body.referrerPhone, 'body.referrerPhone') : null;
  if (!phone && !body.cardNumber)
    throw badRequest('identifier_required', 'Укажите телефон или номер карты покупателя');
  const consents = body.consents ?? [];
  checkConsentTimes(consents, now, (i) => `body.consents.${i}.recordedAt`);
  const profile = profileOf(body);
  const answers = Object.fromEntries(
    Object.entries(profile.answers ?? {}).filter(([, v]) => v !== null),
  ) as Record<string, string | number>;

  // Read before the transaction: the mode comes from the cached programme (a pool connection).
  const referralMode = await referralModeFor(db, merchantId);

  return mapPhoneRace(db, merchantId, phone, () =>
    db.transaction().execute(async (trx) => {
      const { today } = await merchantClock(trx, merchantId, now);
      await checkQuestionnaire(
        trx,
        merchantId,
        { ...profile, answers: profile.answers ?? {} },
        'create',
        today,
      );
      if (phone) await refusePhoneTaken(trx, merchantId, phone, null);
      const referrerId = await resolveReferrer(trx, merchantId, body.referrerId, referrerPhone);
      if (referrerId) {
        const allowed = await checkReferrer(trx, merchantId, referrerId, referralMode);
        if (!allowed.ok)
          throw new ApiError(409, allowed.error.code, allowed.error.message, allowed.error.details);
      }
      await checkReferences(trx, merchantId, {
        storeIds: body.registrationStoreId ? [body.registrationStoreId] : [],
        cashierIds: [
          ...(body.registrationCashierId ? [body.registrationCashierId] : []),
          ...consents.flatMap((c) => (c.cashierId ? [c.cashierId] : [])),
        ],
        categoryIds: body.favouriteCategoryIds ?? [],
      });
      const card = body.cardNumber ? await findCardByNumber(trx, merchantId, body.cardNumber) : undefined;
      if (body.cardNumber && !card) throw notFound('Карта');

      const id = await insertBuyer(trx, merchantId, {
        phone,
        email: profile.email ?? null,
        firstName: profile.firstName ?? null,
        lastName: profile.lastName ?? null,
        middleName: profile.middleName ?? null,
        gender: body.gender ?? null,
        birthDate: body.birthDate ?? null,
        channel: body.channel ?? (actor.kind === 'api_key' ? 'api' : 'cabinet'),
        registrationStoreId: body.registrationStoreId ?? null,
        registrationCashierId: body.registrationCashierId ?? null,
        referrerId,
        canInvite: body.canInvite ?? false,
        answers,
        favouriteCategoryIds: body.favouriteCategoryIds ?? [],
        tags: body.tags ?? [],
      });
      await insertConsents(trx, merchantId, id, consents, now);
      if (card && !(await attachCard(trx, merchantId, card.id, id)))
        throw conflict('Карта уже выдана, заблокирована или заменена', {
          cardId: card.id,
          status: card.status,
        });

      const row = await findBuyer(trx, merchantId, id);
      if (!row) throw new Error(`buyer ${id} vanished inside its own transaction`);
      const view = buyerView(row);
      await writeAudit(trx, actor, { action: 'buyer.create', entity: 'buyer', entityId: id, after: view });
      return view;
    }),
  );
}

/** Changes a buyer's profile; answers merge by key and a null answer removes it. */
export async function changeBuyer(db: Db, actor: Actor, id: string, body: BuyerUpdate, now: Date) {
  const merchantId = actor.merchantId;
  const phone = body.phone ? phoneOrRefuse(body.phone, 'body.phone') : body.phone;
  const profile = profileOf(body);

  return mapPhoneRace(db, merchantId, phone ?? null, () =>
    db.transaction().execute(async (trx) => {
      const beforeRow = await findBuyer(trx, merchantId, id);
      if (!beforeRow) throw notFound('Покупатель');
      const { today } = await merchantClock(trx, merchantId, now);
      await checkQuestionnaire(trx, merchantId, profile, 'update', today);
      if (phone) await refusePhoneTaken(trx, merchantId, phone, id);
      if (phone === null && beforeRow.cards.length === 0)
        throw badRequest(
          'identifier_required',
          'Без телефона покупателя можно найти только по карте, а карты нет',
        );
      await checkReferences(trx, merchantId, {
        storeIds: [],
        cashierIds: [],
        categoryIds: body.favouriteCategoryIds ?? [],
      });

      const change: Parameters<typeof updateBuyer>[3] = {};
      if (phone !== undefined) change.phone = phone;
      if (profile.email !== undefined) change.email = profile.email;
      if (profile.firstName !== undefined) change.first_name = profile.firstName;
      if (profile.lastName !== undefined) change.last_name = profile.lastName;
      if (profile.middleName !== undefined) change.middle_name = profile.middleName;
      if (body.gender !== undefined) change.gender = body.gender;
      if (body.birthDate !== undefined) change.birth_date = body.birthDate;
      if (body.favouriteCategoryIds !== undefined) change.favourite_category_ids = body.favouriteCategoryIds;
      if (body.tags !== undefined) change.tags = body.tags;
      if (body.canInvite !== undefined) change.can_invite = body.canInvite;
      if (profile.answers !== undefined)
        change.answers = JSON.stringify(mergeAnswers(beforeRow.answers, profile.answers));
      await updateBuyer(trx, merchantId, id, change);

      const afterRow = await findBuyer(trx, merchantId, id);
      if (!afterRow) throw new Error(`buyer ${id} vanished inside its own transaction`);
      const before = buyerView(beforeRow);
      const after = buyerView(afterRow);
      await writeAudit(trx, actor, { action: 'buyer.update', entity: 'buyer', entityId: id, before, after });
      return after;
    }),
  );
}

function mergeAnswers(stored: Record<string, unknown>, patch: Answers): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/**
 * Right to erasure (D1): blanks the personal data, blocks the cards so nobody keeps collecting on
 * an anonymous account, and strips the personal values from this buyer's audit trail and from the
 * failed terminal ops (dead letters) that name the buyer. Receipts, the points ledger and consent
 * records (kind, decision, time, channel) stay: they hold no personal values.
 */
export async function eraseBuyerData(db: Db, actor: Actor, id: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await eraseBuyer(trx, actor.merchantId, id, now))) throw notFound('Покупатель');
    const blockedCards = await blockBuyerCards(trx, actor.merchantId, id, ERASED_CARD_REASON);
    await redactBuyerAudit(trx, actor.merchantId, id);
    await redactBuyerDeadLetters(trx, actor.merchantId, id);
    await writeAudit(trx, actor, {
      action: 'buyer.erase',
      entity: 'buyer',
      entityId: id,
      after: { erasedAt: now.toISOString(), blockedCards },
    });
  });
}

/** Records one more consent or withdrawal for a buyer. */
export async function recordConsent(db: Db, actor: Actor, buyerId: string, consent: ConsentInput, now: Date) {
  checkConsentTimes([consent], now, () => 'body.recordedAt');
  return db.transaction().execute(async (trx) => {
    if (!(await findBuyer(trx, actor.merchantId, buyerId))) throw notFound('Покупатель');
    await checkReferences(trx, actor.merchantId, {
      storeIds: [],
      cashierIds: consent.cashierId ? [consent.cashierId] : [],
      categoryIds: [],
    });
    const [row] = await insertConsents(trx, actor.merchantId, buyerId, [consent], now);
    if (!row) throw new Error('consent insert returned no row');
    const view = consentView(row);
    await writeAudit(trx, actor, {
      action: 'buyer.consent',
      entity: 'buyer',
      entityId: buyerId,
      after: view,
    });
    return view;
  });
}

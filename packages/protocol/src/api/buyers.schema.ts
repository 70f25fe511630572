// The buyer base (D1): profile, questionnaire answers, consents with proof (D6), referrer, and the
// list query with the BonusPlus filters.
import { z } from 'zod';
import { listParam, pageOf } from '#api/common.schema.ts';
import { listQueryShape, sortOrderSchema, somethingToChange, textSchema } from '#api/fields.schema.ts';
import { cardSchema, cardStatusSchema } from '#api/cards.schema.ts';

/** Where a buyer registered or a consent was recorded. */
export const buyerChannelSchema = z.enum(['till', 'chatbot', 'web', 'import', 'api', 'cabinet']);
export const genderSchema = z.enum(['male', 'female']);
export const consentKindSchema = z.enum(['sms', 'advertising', 'email', 'messenger']);

/** A phone as typed; the server normalises it to E.164 (Russian numbers for now). */
const phoneInput = z.string().max(40, 'Не длиннее 40 символов');
const personName = textSchema(100).nullable();
const birthDate = z.iso
  .date('Дата в формате ГГГГ-ММ-ДД')
  .refine((d) => d >= '1900-01-01', 'Дата до 1900 года');
const cardNumber = z.string().regex(/^\d{1,30}$/, 'Номер карты — от 1 до 30 цифр');

/** Answers to the merchant's questionnaire fields by key: text, list choice, number or 'YYYY-MM-DD'. */
export const answersInputSchema = z
  .record(z.string().max(50), z.union([textSchema(1000), z.number(), z.null()]))
  .refine((v) => Object.keys(v).length <= 100, 'Не больше 100 ответов');

/** One consent or withdrawal, with what proves it. */
export const consentInputSchema = z
  .object({
    kind: consentKindSchema,
    granted: z.boolean(),
    channel: buyerChannelSchema,
    /** The version of the consent text the buyer saw. */
    textVersion: textSchema(100).min(1).nullish(),
    /** The confirmation code the buyer entered, when one was sent. */
    code: textSchema(20).min(1).nullish(),
    cashierId: z.uuid().nullish(),
    /** When the buyer gave it; defaults to now (a till working offline passes its own time). */
    recordedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((c) => !c.granted || Boolean(c.textVersion), {
    path: ['textVersion'],
    message: 'Для согласия укажите версию текста',
  });

export const consentSchema = z
  .object({
    id: z.uuid(),
    kind: consentKindSchema,
    granted: z.boolean(),
    channel: buyerChannelSchema,
    textVersion: z.string().nullable(),
    code: z.string().nullable(),
    cashierId: z.uuid().nullable(),
    recordedAt: z.iso.datetime(),
  })
  .meta({ id: 'Consent' });

const profileShape = {
  phone: phoneInput.nullable(),
  email: z.email('Неверный e-mail').max(200).nullable(),
  firstName: personName,
  lastName: personName,
  middleName: personName,
  gender: genderSchema.nullable(),
  birthDate: birthDate.nullable(),
  favouriteCategoryIds: z.array(z.uuid()).max(100),
  tags: z.array(textSchema(50).min(1)).max(50),
};

export const buyerCreateSchema = z
  .object({
    ...profileShape,
    /** Defaults to 'cabinet' for a signed-in user and 'api' for an API key. */
    channel: buyerChannelSchema,
    registrationStoreId: z.uuid().nullable(),
    registrationCashierId: z.uuid().nullable(),
    referrerId: z.uuid().nullable(),
    referrerPhone: phoneInput.nullable(),
    /** May bring other buyers when the referral programme is invite-only (C8); false by default. */
    canInvite: z.boolean(),
    /** An issued card to attach to the new buyer. */
    cardNumber: cardNumber.nullable(),
    answers: answersInputSchema,
    consents: z
      .array(consentInputSchema)
      .max(8)
      .refine(
        (list) => new Set(list.map((c) => c.kind)).size === list.length,
        'Каждый вид согласия — один раз',
      ),
  })
  .partial()
  .refine((b) => !(b.referrerId && b.referrerPhone), {
    path: ['referrerPhone'],
    message: 'Укажите рекомендателя либо по id, либо по телефону',
  });

/** A partial change; `answers` merge by key, a null answer removes it. */
export const buyerUpdateSchema = z
  .object({ ...profileShape, answers: answersInputSchema, canInvite: z.boolean() })
  .partial()
  .refine(somethingToChange, 'Укажите, что изменить');

/** The buyer's latest decision per consent kind; false when never asked. */
export const consentStateSchema = z.object({
  sms: z.boolean(),
  advertising: z.boolean(),
  email: z.boolean(),
  messenger: z.boolean(),
});

export const buyerSchema = z
  .object({
    id: z.uuid(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    middleName: z.string().nullable(),
    gender: genderSchema.nullable(),
    birthDate: z.iso.date().nullable(),
    cardTypeId: z.uuid().nullable(),
    registeredAt: z.iso.datetime(),
    registrationStoreId: z.uuid().nullable(),
    registrationCashierId: z.uuid().nullable(),
    channel: buyerChannelSchema,
    referrerId: z.uuid().nullable(),
    /** Allowed to bring other buyers in the invite-only referral mode (C8). */
    canInvite: z.boolean(),
    answers: z.record(z.string(), z.unknown()),
    favouriteCategoryIds: z.array(z.uuid()),
    tags: z.array(z.string()),
    /** Kept by the purchase flow; money in kopecks, balance in hundredths of a point. */
    stats: z.object({
      purchasesCount: z.number().int(),
      purchasesTotal: z.number().int(),
      averageCheck: z.number().int().nullable(),
      lastPurchaseAt: z.iso.datetime().nullable(),
      lastStoreId: z.uuid().nullable(),
      balance: z.number().int(),
    }),
    consents: consentStateSchema,
    /** Cards the buyer holds (replaced ones left out). */
    cards: z.array(z.object({ id: z.uuid(), number: z.string(), status: cardStatusSchema })),
  })
  .meta({ id: 'Buyer' });

export const buyerSortSchema = z.enum([
  'registeredAt',
  'lastName',
  'firstName',
  'phone',
  'birthDate',
  'purchasesCount',
  'purchasesTotal',
  'averageCheck',
  'balance',
  'lastPurchaseAt',
]);

const yesNo = z.enum(['true', 'false']).optional();
const count = z.coerce.number().int().min(0).max(1_000_000_000_000).optional();
const signedAmount = z.coerce.number().int().min(-1_000_000_000_000).max(1_000_000_000_000).optional();
const dateParam = z.iso.date('Дата в формате ГГГГ-ММ-ДД').optional();

/** The D1 filters; every one narrows the list, absent ones do not. Amounts in minor units. */
export const buyerFiltersShape = {
  cardTypeId: listParam(z.uuid()),
  registrationStoreId: listParam(z.uuid()),
  lastStoreId: listParam(z.uuid()),
  registrationCashierId: listParam(z.uuid()),
  cardNumberFrom: cardNumber.optional(),
  cardNumberTo: cardNumber.optional(),
  channel: listParam(buyerChannelSchema),
  /** Registered on someone's recommendation; with `referrerPhone`, by one of these people. */
  referred: yesNo,
  referrerPhone: listParam(phoneInput),
  isReferrer: yesNo,
  /** Allowed to invite in the invite-only referral mode (C8). */
  canInvite: yesNo,
  phone: textSchema(40).min(1).optional(),
  email: textSchema(200).min(1).optional(),
  lastName: textSchema(100).min(1).optional(),
  firstName: textSchema(100).min(1).optional(),
  middleName: textSchema(100).min(1).optional(),
  gender: genderSchema.optional(),
  ageFrom: z.coerce.number().int().min(0).max(150).optional(),
  ageTo: z.coerce.number().int().min(0).max(150).optional(),
  birthDateFrom: dateParam,
  birthDateTo: dateParam,
  registeredFrom: dateParam,
  registeredTo: dateParam,
  averageCheckFrom: count,
  averageCheckTo: count,
  purchasesTotalFrom: count,
  purchasesTotalTo: count,
  purchasesCountFrom: count,
  purchasesCountTo: count,
  balanceFrom: signedAmount,
  balanceTo: signedAmount,
  daysWithoutPurchaseFrom: z.coerce.number().int().min(0).max(100_000).optional(),
  daysWithoutPurchaseTo: z.coerce.number().int().min(0).max(100_000).optional(),
  /** Bought one of these products (ids or SKUs) between boughtFrom and boughtTo (D1). */
  boughtProductId: listParam(z.string().min(1).max(100)),
  boughtFrom: dateParam,
  boughtTo: dateParam,
};

/** Above this many matches the list stops counting (`totalExact: false`) unless asked to. */
export const BUYER_TOTAL_CAP = 10_000;

/**
 * `search` is the table's search box: names (across last, first and middle name), e-mail, phone
 * digits or card number. Empty values sort last in both orders; ties go by id in the same order.
 * `exactTotal=true` counts every match however many (slow on a large base).
 */
export const buyerListQuerySchema = z.object({
  ...listQueryShape,
  sort: buyerSortSchema.default('registeredAt'),
  order: sortOrderSchema.default('desc'),
  exactTotal: yesNo,
  ...buyerFiltersShape,
});
export type BuyerListQuery = z.infer<typeof buyerListQuerySchema>;

/** `total` is exact when `totalExact`; otherwise more than BUYER_TOTAL_CAP match and it is the cap. */
export const buyerPageSchema = pageOf(buyerSchema).extend({ totalExact: z.boolean() });

/** Exactly one of a phone or a card number, as a till scans or types it. */
export const buyerLookupQuerySchema = z
  .object({ phone: phoneInput.min(1).optional(), card: cardNumber.optional() })
  .refine((q) => (q.phone === undefined) !== (q.card === undefined), 'Укажите телефон или номер карты');

/** The buyer found, and the card that found them (its status tells a till whether to accept it). */
export const buyerLookupSchema = z.object({ buyer: buyerSchema, card: cardSchema.nullable() });

/**
 * The merchant's buyer tags with how many buyers carry each, most used first. Promotions aimed
 * at segments match these tags until the segment builder (D3) computes segments of its own.
 */
export const buyerTagsSchema = z.object({
  items: z.array(z.object({ tag: z.string(), buyers: z.int().min(0) })),
});

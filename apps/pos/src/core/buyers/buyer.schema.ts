// Arguments of the buyer handlers.
import { z } from 'zod';
import { answersInputSchema, consentKindSchema, genderSchema } from '@loyalty/protocol/api/buyers.schema';

/** `buyer.identify`: exactly one of a phone, a card number, a scanned QR or a buyer id. */
export const identifyArgsSchema = z
  .object({
    phone: z.string().min(1).max(40).optional(),
    cardNumber: z
      .string()
      .trim()
      .regex(/^\d{1,30}$/, 'Номер карты — от 1 до 30 цифр')
      .optional(),
    qr: z.string().min(1).max(2000).optional(),
    buyerId: z.string().min(1).max(100).optional(),
  })
  .refine((a) => [a.phone, a.cardNumber, a.qr, a.buyerId].filter((v) => v !== undefined).length === 1, {
    message: 'Укажите ровно одно: phone, cardNumber, qr или buyerId',
  });
export type IdentifyArgs = z.output<typeof identifyArgsSchema>;

/** `buyer.register`: a new buyer at the till, queued for the server. */
export const registerArgsSchema = z.object({
  phone: z.string().min(1).max(40),
  firstName: z.string().trim().max(100).nullable().default(null),
  lastName: z.string().trim().max(100).nullable().default(null),
  middleName: z.string().trim().max(100).nullable().default(null),
  birthDate: z.iso.date('Дата в формате ГГГГ-ММ-ДД').nullable().default(null),
  gender: genderSchema.nullable().default(null),
  email: z.email('Неверный адрес почты').max(200).nullable().default(null),
  cardNumber: z
    .string()
    .regex(/^\d{1,30}$/, 'Номер карты — от 1 до 30 цифр')
    .nullable()
    .default(null),
  answers: answersInputSchema.default({}),
  /** Consents the buyer gave at the till, with the version of the text they saw. */
  consents: z
    .array(
      z.object({
        kind: consentKindSchema,
        textVersion: z.string().trim().min(1).max(100),
        code: z.string().trim().min(1).max(20).nullable().default(null),
      }),
    )
    .max(8)
    .default([]),
  referrerId: z.uuid().nullable().default(null),
  /** The receipt's products (id or SKU): fields required for their categories are enforced. */
  productIds: z.array(z.string().min(1).max(100)).max(1000).default([]),
  /**
   * Register without a code: only when the code cannot be sent (the terminal is offline or the
   * message provider failed for this phone). Consent is then pending and asked on the next purchase.
   */
  withoutCode: z.boolean().default(false),
});
export type RegisterArgs = z.output<typeof registerArgsSchema>;

/** `buyer.sendCode`: send a registration code to this phone. */
export const sendCodeArgsSchema = z.object({ phone: z.string().min(1, 'Введите телефон').max(40) });

/** `buyer.checkCode`: the code the buyer told the cashier. */
export const checkCodeArgsSchema = z.object({
  phone: z.string().min(1, 'Введите телефон').max(40),
  code: z
    .string()
    .trim()
    .regex(/^\d{4,8}$/, 'Код — от 4 до 8 цифр'),
});

/** `buyer.questionnaire`: the registration form for a receipt holding these products. */
export const questionnaireArgsSchema = z.object({
  productIds: z.array(z.string().min(1).max(100)).max(1000).default([]),
});

const buyerIdSchema = z.string().min(1, 'Укажите покупателя').max(100);

/** `buyer.details` and `buyer.sendConsentCode`: one buyer by id. */
export const buyerIdArgsSchema = z.object({ buyerId: buyerIdSchema });

/** `buyer.confirmConsent`: the code the buyer registered without one tells the cashier. */
export const confirmConsentArgsSchema = z.object({
  buyerId: buyerIdSchema,
  code: z
    .string()
    .trim()
    .regex(/^\d{4,8}$/, 'Код — от 4 до 8 цифр'),
  kinds: z.array(consentKindSchema).min(1).max(4).default(['sms', 'advertising']),
  textVersion: z.string().trim().min(1).max(100).default('till-consent-2026-01'),
});

/** `buyer.sendPhoneCode`: a code to the buyer's new phone before it replaces the old one. */
export const sendPhoneCodeArgsSchema = z.object({ buyerId: buyerIdSchema, phone: z.string().min(1).max(40) });

/** `buyer.update`: personal data edited at the till (A4); a new phone needs its code. */
export const updateArgsSchema = z.object({
  buyerId: buyerIdSchema,
  changes: z
    .object({
      firstName: z.string().trim().max(100).nullable(),
      lastName: z.string().trim().max(100).nullable(),
      middleName: z.string().trim().max(100).nullable(),
      birthDate: z.iso.date('Дата в формате ГГГГ-ММ-ДД').nullable(),
      gender: genderSchema.nullable(),
      email: z.email('Неверный адрес почты').max(200).nullable(),
      phone: z.string().min(1).max(40),
    })
    .partial()
    .refine((c) => Object.keys(c).length > 0, 'Укажите, что изменить'),
  /** The code sent to the new phone by `buyer.sendPhoneCode`, confirmed with it. */
  phoneCode: z
    .string()
    .trim()
    .regex(/^\d{4,8}$/, 'Код — от 4 до 8 цифр')
    .optional(),
});
export type UpdateArgs = z.output<typeof updateArgsSchema>;

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

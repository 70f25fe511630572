// Push (B3): the terminal's op log, in ascending sequence; one answer per op. Payload schemas are
// checked per op on the server, so a malformed payload is dead-lettered instead of failing the
// batch; only a malformed envelope is a 400.
import { z } from 'zod';
import {
  answersInputSchema,
  buyerUpdateSchema,
  consentKindSchema,
  genderSchema,
} from '#api/buyers.schema.ts';
import { buyerPointsSchema, purchaseLineSchema } from '#api/purchases.schema.ts';
import { textSchema } from '#api/fields.schema.ts';
import { calculationSchema } from '#sync/calculation.schema.ts';
import { buyerItemSchema } from '#sync/pull.schema.ts';
import { epochMsSchema, serverTimeSchema, syncErrorSchema } from '#sync/sync-common.schema.ts';

export const opKindSchema = z.enum([
  'receipt',
  'return',
  'buyer_registration',
  'buyer_update',
  'buyer_consent',
]);
export type OpKind = z.infer<typeof opKindSchema>;

const points = z.int().min(0).max(10_000_000_000_000);

export const receiptPayloadSchema = z.object({
  /** UUIDv7 made by the till; also the receipt's id on the server. */
  receiptId: z.uuid(),
  number: z.string().max(100).nullable(),
  storeId: z.uuid(),
  cashierId: z.uuid().nullable(),
  buyerId: z.uuid().nullable(),
  identifiedBy: z.enum(['phone', 'card', 'qr', 'manual']).nullable(),
  /** The lines as the till sent them to the engine (as in the purchase API). */
  lines: z.array(purchaseLineSchema).min(1).max(1000),
  coupons: z.array(z.string().trim().min(1).max(64)).max(20),
  pointsToPay: z.union([points, z.literal('max')]),
  /** The engine's result at the till: what was printed, and what the server books. */
  calculation: calculationSchema,
  rulesVersion: z.string().min(1).max(100),
  holdId: z.uuid().nullable(),
  offline: z.boolean(),
});
export type ReceiptPayload = z.input<typeof receiptPayloadSchema>;

export const returnPayloadSchema = z.object({
  returnId: z.uuid(),
  receiptId: z.uuid(),
  lines: z
    .array(z.object({ index: z.int().min(0), quantity: z.int().min(1).max(1_000_000_000) }))
    .min(1)
    .max(1000),
  cashierId: z.uuid().nullable(),
});
export type ReturnPayload = z.input<typeof returnPayloadSchema>;

export const registrationConsentSchema = z.object({
  kind: consentKindSchema,
  channel: z.enum(['till', 'chatbot', 'web']).default('till'),
  textVersion: textSchema(100).min(1),
  /** When the buyer confirmed, epoch ms corrected by the clock offset. */
  confirmedAt: epochMsSchema,
  code: textSchema(20).min(1).nullable(),
  cashierId: z.uuid().nullable(),
});

export const buyerRegistrationPayloadSchema = z.object({
  /** Made by the till; becomes an alias when the phone already belongs to someone. */
  buyerId: z.uuid(),
  phone: z.string().max(40).nullable(),
  firstName: textSchema(100).nullable(),
  lastName: textSchema(100).nullable(),
  /** Added with the till's questionnaire; older tills leave it out. */
  middleName: textSchema(100).nullable().default(null),
  birthDate: z.iso.date().nullable(),
  gender: genderSchema.nullable(),
  email: z.email().max(200).nullable(),
  cardNumber: z
    .string()
    .regex(/^\d{1,30}$/)
    .nullable(),
  answers: answersInputSchema,
  consents: z.array(registrationConsentSchema).max(8),
  referrerId: z.uuid().nullable(),
  /**
   * Registered without a code (the message provider unreachable, A2): `consents` is empty and the
   * consent the buyer gave orally is confirmed by a `buyer_consent` op on a later purchase.
   */
  consentPending: z.boolean().default(false),
});
export type BuyerRegistrationPayload = z.input<typeof buyerRegistrationPayloadSchema>;

export const buyerUpdatePayloadSchema = z.object({ buyerId: z.uuid(), changes: buyerUpdateSchema });
export type BuyerUpdatePayload = z.input<typeof buyerUpdatePayloadSchema>;

/** The consent of a buyer registered without a code, confirmed with a code on a later purchase. */
export const buyerConsentPayloadSchema = z.object({
  buyerId: z.uuid(),
  consents: z
    .array(registrationConsentSchema.extend({ code: textSchema(20).min(1) }))
    .min(1)
    .max(8),
});
export type BuyerConsentPayload = z.input<typeof buyerConsentPayloadSchema>;

/** The envelope the server checks for the whole batch; `payload` is checked per op by `kind`. */
export const opEnvelopeSchema = z.object({
  opId: z.uuid(),
  seq: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** An unknown kind is dead-lettered, not refused, so a newer terminal never blocks its queue. */
  kind: z.string().min(1).max(50),
  occurredAt: epochMsSchema,
  payload: z.unknown(),
});
export type OpEnvelope = z.infer<typeof opEnvelopeSchema>;

/** A typed op, for the terminal to build its outbox with. */
export const syncOpSchema = z.discriminatedUnion('kind', [
  opEnvelopeSchema.extend({ kind: z.literal('receipt'), payload: receiptPayloadSchema }),
  opEnvelopeSchema.extend({ kind: z.literal('return'), payload: returnPayloadSchema }),
  opEnvelopeSchema.extend({ kind: z.literal('buyer_registration'), payload: buyerRegistrationPayloadSchema }),
  opEnvelopeSchema.extend({ kind: z.literal('buyer_update'), payload: buyerUpdatePayloadSchema }),
  opEnvelopeSchema.extend({ kind: z.literal('buyer_consent'), payload: buyerConsentPayloadSchema }),
]);
export type SyncOp = z.input<typeof syncOpSchema>;

export const pushRequestSchema = z.object({
  ops: z
    .array(opEnvelopeSchema)
    .min(1)
    .max(200)
    .refine((ops) => ops.every((op, i) => i === 0 || op.seq > ops[i - 1]!.seq), {
      message: 'Операции должны идти по возрастанию seq',
    }),
  /** Ops still waiting in the terminal's outbox after this batch, shown in the cabinet. */
  pendingOps: z.int().min(0).max(1_000_000_000).optional(),
});
export type PushRequest = z.input<typeof pushRequestSchema>;

export const opStatusSchema = z.enum(['applied', 'duplicate', 'dead_letter', 'conflict']);
export type OpStatus = z.infer<typeof opStatusSchema>;

export const opResultSchema = z.object({
  opId: z.string(),
  seq: z.number().int(),
  status: opStatusSchema,
  /** The op's answer (by kind, below) when applied or duplicate. */
  answer: z.unknown().optional(),
  /** Why, when dead-lettered or in conflict. */
  error: syncErrorSchema.optional(),
});
export type OpResult = z.infer<typeof opResultSchema>;

export const pushResponseSchema = z
  .object({
    type: z.literal('push_result'),
    results: z.array(opResultSchema),
    /** The seq the server expects next: `last_seq + 1`. */
    nextSeq: z.number().int(),
    /** Set when a gap stopped the batch: resend from this seq. */
    resendFrom: z.number().int().nullable(),
    /**
     * Fresh snapshots of the buyers whose points the batch's receipts and returns moved, read
     * after the batch in one snapshot with `appliedSeq` (as a `buyers` page): the till shows the
     * new balance without waiting for the pull. Absent when no op touched a buyer.
     */
    buyers: z.object({ items: z.array(buyerItemSchema), appliedSeq: z.number().int() }).optional(),
    serverTime: serverTimeSchema,
  })
  .meta({ id: 'SyncPushResult' });
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const receiptAnswerSchema = z.object({
  receiptId: z.uuid(),
  buyer: buyerPointsSchema.nullable(),
  /** Points spent beyond the buyer's balance, booked as debt (0 when covered). */
  overdraft: z.number().int(),
});
export const returnAnswerSchema = z.object({
  returnId: z.uuid(),
  receiptId: z.uuid(),
  result: z.unknown(),
  buyer: buyerPointsSchema.nullable(),
});
export const buyerRegistrationAnswerSchema = z.object({ buyerId: z.uuid(), merged: z.boolean() });
export const buyerUpdateAnswerSchema = z.object({ buyerId: z.uuid() });
export const buyerConsentAnswerSchema = z.object({ buyerId: z.uuid() });

/** Points holds before an online sale with points. */
export const syncHoldRequestSchema = z.object({
  buyerId: z.uuid(),
  points: z.int().min(1).max(10_000_000_000_000),
  ttlSeconds: z.int().min(10).max(3600).default(300),
});

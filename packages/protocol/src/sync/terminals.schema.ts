// Terminals in the cabinet (B1): create with a one-time pairing code, list with their sync
// state, issue a new code, revoke; and the dead letters of their pushes.
import { z } from 'zod';
import { pageOf } from '#api/common.schema.ts';
import { listQueryShape, nameSchema, somethingToChange } from '#api/fields.schema.ts';

export const terminalStatusSchema = z.enum(['active', 'revoked']);

export const terminalSchema = z
  .object({
    id: z.uuid(),
    storeId: z.uuid(),
    name: z.string(),
    status: terminalStatusSchema,
    /** The workstation's name it reported when paired; null before pairing. */
    deviceName: z.string().nullable(),
    pairedAt: z.iso.datetime().nullable(),
    /** True when a pairing code is waiting to be used. */
    pairingPending: z.boolean(),
    pairingCodeExpiresAt: z.iso.datetime().nullable(),
    /** Last op sequence number applied from this terminal. */
    lastSeq: z.number().int(),
    lastSyncAt: z.iso.datetime().nullable(),
    /** Ops waiting in the terminal's outbox as it last reported. */
    pendingOps: z.number().int(),
    deadLetters: z.number().int(),
    /** Receipts of this terminal that spent beyond the buyer's balance. */
    overdraftReceipts: z.number().int(),
    revokedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Terminal' });
export type TerminalView = z.infer<typeof terminalSchema>;

/** The answer to creation and to a new code: the only time the code is shown. */
export const terminalWithPairingCodeSchema = terminalSchema
  .extend({
    /** Grouped for reading aloud: `XXXX-XXXX`. */
    pairingCode: z.string(),
    pairingCodeExpiresAt: z.iso.datetime(),
  })
  .meta({ id: 'TerminalWithPairingCode' });

export const terminalCreateSchema = z.object({
  storeId: z.uuid(),
  name: nameSchema(200),
});

export const terminalUpdateSchema = z
  .object({ name: nameSchema(200) })
  .partial()
  .refine(somethingToChange, 'Укажите, что изменить');

export const terminalSortSchema = z.enum(['name', 'createdAt', 'lastSyncAt']);

export const terminalListQuerySchema = z.object({
  ...listQueryShape,
  sort: terminalSortSchema.default('name'),
  storeId: z.uuid().optional(),
  status: terminalStatusSchema.optional(),
});

export const terminalPageSchema = pageOf(terminalSchema);

export const deadLetterSchema = z
  .object({
    id: z.uuid(),
    terminalId: z.uuid(),
    opId: z.string(),
    seq: z.number().int(),
    kind: z.string(),
    /** Why it could not be applied: a code such as `invalid_payload` or `return_exceeds_receipt`. */
    reason: z.string(),
    message: z.string(),
    details: z.unknown().nullable(),
    payload: z.unknown(),
    occurredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'SyncDeadLetter' });

export const deadLetterListQuerySchema = z.object({
  page: listQueryShape.page,
  pageSize: listQueryShape.pageSize,
  terminalId: z.uuid().optional(),
});

export const deadLetterPageSchema = pageOf(deadLetterSchema);

/**
 * How much the merchant's tills can spend beyond buyers' balances while offline (B3): each
 * active terminal may redeem at most `maxPointsPerTerminalSinceSync` between syncs, so the
 * worst case is their product (null: a limit is not set, and the exposure is unbounded). What
 * offline receipts actually overspent so far is the debt still owed.
 */
export const offlineExposureSchema = z
  .object({
    activeTerminals: z.number().int(),
    maxPointsPerTerminalSinceSync: z.number().int().nullable(),
    worstCaseOverspend: z.number().int().nullable(),
    debtOwed: z.number().int(),
    buyersInDebt: z.number().int(),
    overdraftReceipts: z.number().int(),
  })
  .meta({ id: 'OfflineExposure' });

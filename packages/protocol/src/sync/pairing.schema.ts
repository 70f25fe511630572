// Pairing (B1): the terminal trades the one-time code from the cabinet for its token.
import { z } from 'zod';
import { textSchema } from '#api/fields.schema.ts';
import { serverTimeSchema } from '#sync/sync-common.schema.ts';

/** Letters and digits a cashier cannot misread: no 0/O, 1/I/L, 2/Z, 5/S, 8/B. */
export const PAIRING_CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
export const PAIRING_CODE_LENGTH = 8;

/** The code as typed: `XXXX-XXXX`, any case, dashes and spaces ignored. */
export const pairingCodeSchema = z
  .string()
  .max(40)
  .transform((value) => value.replace(/[\s-]/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .length(PAIRING_CODE_LENGTH, 'Код подключения — 8 символов')
      .regex(new RegExp(`^[${PAIRING_CODE_ALPHABET}]+$`), 'В коде подключения недопустимые символы'),
  );

export const pairRequestSchema = z.object({
  code: pairingCodeSchema,
  /** The workstation's own name (host name), shown in the cabinet. */
  deviceName: textSchema(200).default(''),
});
export type PairRequest = z.input<typeof pairRequestSchema>;

export const pairResponseSchema = z
  .object({
    type: z.literal('paired'),
    protocolVersion: z.number().int(),
    terminalId: z.uuid(),
    merchantId: z.uuid(),
    storeId: z.uuid(),
    /** `tt_<terminal id without dashes>_<secret>`: sent as `Authorization: Bearer` from now on. */
    token: z.string(),
    /** The last op seq the server applied from this terminal id: the till's next seq is above it. */
    lastSeq: z.number().int().min(0),
    serverTime: serverTimeSchema,
  })
  .meta({ id: 'SyncPairing' });
export type PairResponse = z.infer<typeof pairResponseSchema>;

/** Error codes the terminal must tell apart. */
export const TerminalAuthError = {
  revoked: 'terminal_revoked',
  unauthorized: 'terminal_unauthorized',
  pairingCodeInvalid: 'pairing_code_invalid',
} as const;

// What every sync message shares: the protocol version, server time and the error shape.
import { z } from 'zod';

/** Version of the sync protocol described in SYNC.md; bumped on any incompatible change. */
export const SYNC_PROTOCOL_VERSION = 1;

/** The server's clock in epoch ms, carried by every sync answer so the terminal measures its offset. */
export const serverTimeSchema = z.number().int();

/** An instant as epoch ms, as the engine and the terminal keep them. */
export const epochMsSchema = z.int().min(0).max(8_640_000_000_000_000);

/** An expected failure: `{ code, message, details }`, message in Russian. */
export const syncErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().nullable(),
});
export type SyncError = z.infer<typeof syncErrorSchema>;

// Consents (D6) are an append-only history: every grant and withdrawal is a row with its proof,
// and the latest row per kind is the buyer's current decision.
import type { z } from 'zod';
import type { consentInputSchema } from '@loyalty/protocol/api/buyers.schema';
import type { Db } from '#db/database.ts';

/** One consent or withdrawal as the API receives it. */
export type ConsentInput = z.infer<typeof consentInputSchema>;

const columns = [
  'id',
  'kind',
  'granted',
  'channel',
  'text_version',
  'code',
  'cashier_id',
  'recorded_at',
] as const;

/** Appends consent records; a record without its own time is stamped `now`. */
export function insertConsents(
  db: Db,
  merchantId: string,
  buyerId: string,
  consents: ConsentInput[],
  now: Date,
) {
  if (consents.length === 0) return Promise.resolve([]);
  return db
    .insertInto('buyer_consents')
    .values(
      consents.map((consent) => ({
        merchant_id: merchantId,
        buyer_id: buyerId,
        kind: consent.kind,
        granted: consent.granted,
        channel: consent.channel,
        text_version: consent.textVersion ?? null,
        code: consent.code ?? null,
        cashier_id: consent.cashierId ?? null,
        recorded_at: consent.recordedAt ?? now,
      })),
    )
    .returning(columns)
    .execute();
}

/** The buyer's consent history, newest first. */
export function listConsents(db: Db, merchantId: string, buyerId: string) {
  return db
    .selectFrom('buyer_consents')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .where('buyer_id', '=', buyerId)
    .orderBy('recorded_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

/** The public view of a consent record. */
export function consentView(row: Awaited<ReturnType<typeof listConsents>>[number]) {
  return {
    id: row.id,
    kind: row.kind,
    granted: row.granted,
    channel: row.channel,
    textVersion: row.text_version,
    code: row.code,
    cashierId: row.cashier_id,
    recordedAt: row.recorded_at.toISOString(),
  };
}

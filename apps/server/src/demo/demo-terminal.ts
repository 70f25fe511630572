// The demo till `npm start` runs beside the server: one terminal in the demo merchant's first
// store, with a fresh pairing code while it is not paired yet, so the till pairs on its own.
import { sql } from 'kysely';
import type { Db } from '#db/database.ts';
import { createTerminal, issuePairingCode } from '#terminals/terminals.service.ts';
import { DEMO_OWNER } from './demo-staff.ts';

export const DEMO_TERMINAL_NAME = 'Демо-касса';

/** The pairing code for the demo till, or null when it is already paired (or there is no demo). */
export async function demoTerminalPairingCode(db: Db): Promise<string | null> {
  const owner = await db
    .selectFrom('users')
    .select('merchant_id')
    .where(sql<string>`lower(email)`, '=', DEMO_OWNER.email)
    .executeTakeFirst();
  if (!owner) return null;
  const actor = { kind: 'system', id: null, merchantId: owner.merchant_id } as const;
  const existing = await db
    .selectFrom('terminals')
    .select(['id', 'paired_at', 'revoked_at'])
    .where('merchant_id', '=', owner.merchant_id)
    .where('name', '=', DEMO_TERMINAL_NAME)
    .executeTakeFirst();
  if (existing?.paired_at && !existing.revoked_at) return null;
  if (existing) return (await issuePairingCode(db, actor, existing.id)).pairingCode;
  const store = await db
    .selectFrom('stores')
    .select('id')
    .where('merchant_id', '=', owner.merchant_id)
    .where('archived_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  if (!store) return null;
  return (await createTerminal(db, actor, { storeId: store.id, name: DEMO_TERMINAL_NAME })).pairingCode;
}

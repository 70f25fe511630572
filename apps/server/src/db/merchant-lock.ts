// Serialises one kind of write within one merchant, for invariants no constraint can express
// (a category tree without cycles, a barcode on one active product).
import { sql, type Transaction } from 'kysely';
import type { Database } from './database-schema.ts';

/** Holds a transaction-scoped advisory lock on `scope` for this merchant until commit or rollback. */
export async function lockMerchantScope(
  trx: Transaction<Database>,
  scope: string,
  merchantId: string,
): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${scope}:${merchantId}`}, 0))`.execute(trx);
}

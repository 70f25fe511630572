// The sales log lists returns next to sales, newest first, by the merchant's days (issue 6, G5):
// returns need the same (merchant_id, created_at) index receipts have.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX receipt_returns_merchant_created_idx ON receipt_returns (merchant_id, created_at, id);`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX receipt_returns_merchant_created_idx;`.execute(db);
}

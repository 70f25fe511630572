// The cashier on every receipt and return (issue 6, B4, G5): the sales log filters and shows
// them. Nullable: receipts posted before this, API sales without a cashier and till ops naming a
// cashier the server does not know keep null. The key includes merchant_id, so a receipt can
// never name another merchant's cashier. The indexes serve the log and the summary filtered by
// cashier: (merchant, cashier, time), newest first by a backward scan.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE receipts ADD COLUMN cashier_id uuid,
      ADD CONSTRAINT receipts_cashier_fkey FOREIGN KEY (merchant_id, cashier_id)
        REFERENCES cashiers (merchant_id, id);
    ALTER TABLE receipt_returns ADD COLUMN cashier_id uuid,
      ADD CONSTRAINT receipt_returns_cashier_fkey FOREIGN KEY (merchant_id, cashier_id)
        REFERENCES cashiers (merchant_id, id);
    CREATE INDEX receipts_cashier_created_idx ON receipts (merchant_id, cashier_id, created_at, id)
      WHERE cashier_id IS NOT NULL;
    CREATE INDEX receipt_returns_cashier_created_idx ON receipt_returns (merchant_id, cashier_id, created_at, id)
      WHERE cashier_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX receipt_returns_cashier_created_idx;
    DROP INDEX receipts_cashier_created_idx;
    ALTER TABLE receipt_returns DROP COLUMN cashier_id;
    ALTER TABLE receipts DROP COLUMN cashier_id;
  `.execute(db);
}

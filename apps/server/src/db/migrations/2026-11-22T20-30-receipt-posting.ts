// Receipts say which terminal op posted them (B3) and how much of their redemption went beyond
// the buyer's lots as overdraft (offline receipts are never refused; the cabinet flags them).
// buyers.version lets a receipt post optimistically: read without a lock, write in one statement
// that only applies if no locking or posting write touched the buyer in between.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE receipts
      ADD COLUMN terminal_id uuid,
      ADD COLUMN terminal_seq bigint,
      ADD COLUMN overdraft bigint NOT NULL DEFAULT 0 CHECK (overdraft >= 0);
    CREATE UNIQUE INDEX receipts_terminal_seq ON receipts (terminal_id, terminal_seq) WHERE terminal_id IS NOT NULL;
    CREATE INDEX receipts_overdraft_idx ON receipts (merchant_id, created_at DESC) WHERE overdraft > 0;
    ALTER TABLE buyers ADD COLUMN version bigint NOT NULL DEFAULT 0;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE buyers DROP COLUMN version;
    DROP INDEX receipts_overdraft_idx; DROP INDEX receipts_terminal_seq;
    ALTER TABLE receipts DROP COLUMN overdraft, DROP COLUMN terminal_seq, DROP COLUMN terminal_id;
  `.execute(db);
}

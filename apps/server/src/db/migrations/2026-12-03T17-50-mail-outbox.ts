// Outgoing mail (password reset links, issue 6): written in the transaction that decides to send,
// delivered later by whatever transport a deployment has. Without one, the server logs each
// message in development, and tests read the table.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE mail_outbox (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid REFERENCES merchants(id) ON DELETE CASCADE,
      recipient text NOT NULL,
      subject text NOT NULL,
      body text NOT NULL,
      kind text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    );
    CREATE INDEX mail_outbox_unsent_idx ON mail_outbox (created_at) WHERE sent_at IS NULL;
    CREATE INDEX mail_outbox_recipient_idx ON mail_outbox (recipient, created_at);
    ALTER TABLE password_resets ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE mail_outbox;
    ALTER TABLE password_resets DROP COLUMN created_at;
  `.execute(db);
}

// Buyer QR codes (A1): one Ed25519 key pair per merchant signs the certificates of buyers'
// phones; terminals get the public key through the sync `settings` stream. The private key is
// stored encrypted under SERVER_SECRET.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE qr_keys (
      merchant_id uuid PRIMARY KEY REFERENCES merchants(id) ON DELETE CASCADE,
      public_key bytea NOT NULL CHECK (length(public_key) = 32),
      private_key_encrypted bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE qr_keys;`.execute(db);
}

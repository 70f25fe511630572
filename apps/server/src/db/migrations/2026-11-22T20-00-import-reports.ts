// Error reports of rejected imports (B5): every problem of a file, cell by cell, so the manager
// downloads them as XLSX. They quote cells of the file (personal data), so they are kept 30 days.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE import_reports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('buyers', 'cards', 'products', 'balances')),
      file_name text NOT NULL,
      rows integer NOT NULL CHECK (rows >= 0),
      error_count integer NOT NULL CHECK (error_count >= 0),
      -- [{ row, column, value, code, message }] in file order.
      errors jsonb NOT NULL CHECK (jsonb_typeof(errors) = 'array'),
      actor_type text NOT NULL,
      actor_id text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX import_reports_merchant_idx ON import_reports (merchant_id, created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE import_reports;`.execute(db);
}

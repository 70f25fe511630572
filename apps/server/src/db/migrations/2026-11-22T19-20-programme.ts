// The loyalty programme (C1-C6): settings, card types, the rules matrix, happy hours,
// promotions, coupon series and codes. Bodies are stored as the engine's snapshot types
// (validated by packages/core), so the server and every till price identically.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE programme_settings (
      merchant_id uuid PRIMARY KEY REFERENCES merchants(id) ON DELETE CASCADE,
      body jsonb NOT NULL,
      version bigint NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE card_types (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      name text NOT NULL,
      rank integer NOT NULL,
      threshold bigint,
      issue text NOT NULL CHECK (issue IN ('default', 'threshold', 'manual')),
      created_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz
    );
    CREATE INDEX card_types_merchant_idx ON card_types (merchant_id);
    CREATE TABLE programme_rules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      card_type_id uuid NOT NULL REFERENCES card_types(id) ON DELETE CASCADE,
      category_id uuid,
      body jsonb NOT NULL
    );
    CREATE UNIQUE INDEX programme_rules_cell_key
      ON programme_rules (merchant_id, card_type_id, coalesce(category_id, '00000000-0000-0000-0000-000000000000'));
    CREATE TABLE happy_hours (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      position integer NOT NULL,
      body jsonb NOT NULL
    );
    CREATE INDEX happy_hours_merchant_idx ON happy_hours (merchant_id, position);
    CREATE TABLE promotions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      name text NOT NULL,
      priority integer NOT NULL DEFAULT 0,
      starts_at timestamptz,
      ends_at timestamptz,
      body jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz
    );
    CREATE INDEX promotions_merchant_idx ON promotions (merchant_id, archived_at, starts_at);
    CREATE TABLE coupon_series (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      promotion_id uuid NOT NULL REFERENCES promotions(id),
      name text NOT NULL,
      body jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX coupon_series_merchant_idx ON coupon_series (merchant_id);
    CREATE TABLE coupon_codes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      series_id uuid NOT NULL REFERENCES coupon_series(id) ON DELETE CASCADE,
      code text NOT NULL,
      issued_to_buyer_id uuid,
      uses integer NOT NULL DEFAULT 0,
      blocked boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX coupon_codes_code_key ON coupon_codes (merchant_id, code);
    CREATE INDEX coupon_codes_series_idx ON coupon_codes (series_id);
    CREATE TABLE coupon_redemptions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      code_id uuid NOT NULL REFERENCES coupon_codes(id) ON DELETE CASCADE,
      buyer_id uuid,
      receipt_id uuid,
      redeemed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX coupon_redemptions_code_idx ON coupon_redemptions (code_id, buyer_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE coupon_redemptions; DROP TABLE coupon_codes; DROP TABLE coupon_series; DROP TABLE promotions;
    DROP TABLE happy_hours; DROP TABLE programme_rules; DROP TABLE card_types; DROP TABLE programme_settings;
  `.execute(db);
}

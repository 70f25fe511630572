// Buyers and what hangs off them: questionnaire (D2), consents with proof (D6), buyer base with the
// stats its filters read (D1), plastic card series and cards (C9).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE buyer_settings (
      merchant_id uuid PRIMARY KEY REFERENCES merchants(id) ON DELETE CASCADE,
      -- { "first_name": { "enabled": true, "required": false }, ... }; a missing entry means
      -- enabled and optional, so a merchant without a row gets the full default form.
      standard_fields jsonb NOT NULL DEFAULT '{}'::jsonb,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE questionnaire_fields (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,49}$'),
      label text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('list', 'text', 'number', 'date')),
      options jsonb CHECK ((kind = 'list') = (options IS NOT NULL)),
      required boolean NOT NULL DEFAULT false,
      position integer NOT NULL DEFAULT 0,
      enabled boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- Answers are stored under the key, so it is unique and never changes.
      CONSTRAINT questionnaire_fields_key_unique UNIQUE (merchant_id, key)
    );

    CREATE TABLE buyers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      phone text CHECK (phone ~ '^\\+[1-9][0-9]{7,14}$'),
      email text,
      first_name text,
      last_name text,
      middle_name text,
      gender text CHECK (gender IN ('male', 'female')),
      birth_date date,
      -- No foreign key yet: card types (tiers) arrive in a later migration, which should add it.
      card_type_id uuid,
      registered_at timestamptz NOT NULL DEFAULT now(),
      -- No foreign keys to stores and cashiers yet: the API checks the ids are the merchant's, and
      -- the purchase flow writes last_store_id from till data that may name a store not synced yet.
      registration_store_id uuid,
      registration_cashier_id uuid,
      channel text NOT NULL CHECK (channel IN ('till', 'chatbot', 'web', 'import', 'api', 'cabinet')),
      referrer_id uuid,
      answers jsonb NOT NULL DEFAULT '{}'::jsonb,
      favourite_category_ids uuid[] NOT NULL DEFAULT '{}',
      tags text[] NOT NULL DEFAULT '{}',
      -- Denormalised by the purchase flow so the D1 filters stay index lookups.
      purchases_count integer NOT NULL DEFAULT 0,
      purchases_total bigint NOT NULL DEFAULT 0,
      last_purchase_at timestamptz,
      last_store_id uuid,
      balance bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      erased_at timestamptz,
      -- Composite keys let child rows prove they belong to the same merchant.
      CONSTRAINT buyers_merchant_id_key UNIQUE (merchant_id, id),
      CONSTRAINT buyers_referrer_fkey FOREIGN KEY (merchant_id, referrer_id) REFERENCES buyers (merchant_id, id),
      CONSTRAINT buyers_not_own_referrer CHECK (referrer_id IS DISTINCT FROM id)
    );
    CREATE UNIQUE INDEX buyers_phone_key ON buyers (merchant_id, phone) WHERE phone IS NOT NULL;
    CREATE INDEX buyers_registered_idx ON buyers (merchant_id, registered_at);
    CREATE INDEX buyers_email_idx ON buyers (merchant_id, lower(email));
    CREATE INDEX buyers_last_name_idx ON buyers (merchant_id, lower(last_name));
    CREATE INDEX buyers_birth_date_idx ON buyers (merchant_id, birth_date);
    CREATE INDEX buyers_card_type_idx ON buyers (merchant_id, card_type_id);
    CREATE INDEX buyers_registration_store_idx ON buyers (merchant_id, registration_store_id);
    CREATE INDEX buyers_registration_cashier_idx ON buyers (merchant_id, registration_cashier_id);
    CREATE INDEX buyers_last_store_idx ON buyers (merchant_id, last_store_id);
    CREATE INDEX buyers_channel_idx ON buyers (merchant_id, channel);
    CREATE INDEX buyers_referrer_idx ON buyers (merchant_id, referrer_id);
    CREATE INDEX buyers_purchases_count_idx ON buyers (merchant_id, purchases_count);
    CREATE INDEX buyers_purchases_total_idx ON buyers (merchant_id, purchases_total);
    CREATE INDEX buyers_average_check_idx
      ON buyers (merchant_id, (purchases_total::numeric / NULLIF(purchases_count, 0)));
    CREATE INDEX buyers_balance_idx ON buyers (merchant_id, balance);
    -- "Days without purchase" counts from registration for buyers who never bought.
    CREATE INDEX buyers_last_activity_idx
      ON buyers (merchant_id, (COALESCE(last_purchase_at, registered_at)));

    CREATE TABLE buyer_consents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      buyer_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('sms', 'advertising', 'email', 'messenger')),
      granted boolean NOT NULL,
      channel text NOT NULL CHECK (channel IN ('till', 'chatbot', 'web', 'import', 'api', 'cabinet')),
      text_version text,
      code text,
      cashier_id uuid,
      recorded_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- A grant without the text the buyer agreed to proves nothing.
      CONSTRAINT buyer_consents_grant_has_text CHECK (NOT granted OR text_version IS NOT NULL),
      CONSTRAINT buyer_consents_buyer_fkey FOREIGN KEY (merchant_id, buyer_id)
        REFERENCES buyers (merchant_id, id) ON DELETE CASCADE
    );
    CREATE INDEX buyer_consents_buyer_idx ON buyer_consents (buyer_id, kind, recorded_at DESC);

    CREATE TABLE card_series (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      name text NOT NULL,
      prefix text NOT NULL DEFAULT '' CHECK (prefix ~ '^[0-9]*$'),
      number_from bigint NOT NULL CHECK (number_from >= 0),
      number_to bigint NOT NULL,
      kind text NOT NULL CHECK (kind IN ('personal', 'anonymous')),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT card_series_range CHECK (number_from <= number_to),
      CONSTRAINT card_series_merchant_id_key UNIQUE (merchant_id, id)
    );
    CREATE INDEX card_series_merchant_idx ON card_series (merchant_id, prefix);

    CREATE TABLE cards (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      series_id uuid,
      number text NOT NULL CHECK (number ~ '^[0-9]{1,30}$'),
      buyer_id uuid,
      status text NOT NULL CHECK (status IN ('issued', 'active', 'blocked', 'replaced')),
      block_reason text,
      replaced_by_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      activated_at timestamptz,
      CONSTRAINT cards_number_key UNIQUE (merchant_id, number),
      CONSTRAINT cards_merchant_id_key UNIQUE (merchant_id, id),
      CONSTRAINT cards_series_fkey FOREIGN KEY (merchant_id, series_id) REFERENCES card_series (merchant_id, id),
      CONSTRAINT cards_buyer_fkey FOREIGN KEY (merchant_id, buyer_id) REFERENCES buyers (merchant_id, id),
      CONSTRAINT cards_replaced_by_fkey FOREIGN KEY (merchant_id, replaced_by_id) REFERENCES cards (merchant_id, id),
      CONSTRAINT cards_blocked_has_reason CHECK (status <> 'blocked' OR block_reason IS NOT NULL),
      CONSTRAINT cards_replaced_has_successor CHECK (status <> 'replaced' OR replaced_by_id IS NOT NULL)
    );
    CREATE INDEX cards_buyer_idx ON cards (merchant_id, buyer_id);
    CREATE INDEX cards_series_idx ON cards (merchant_id, series_id);
    -- Card number ranges (D1 filter) compare numerically: "99" < "100".
    CREATE INDEX cards_number_value_idx ON cards (merchant_id, (number::numeric));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE cards; DROP TABLE card_series; DROP TABLE buyer_consents; DROP TABLE buyers;
    DROP TABLE questionnaire_fields; DROP TABLE buyer_settings;
  `.execute(db);
}

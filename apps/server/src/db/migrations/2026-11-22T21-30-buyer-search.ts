// The buyer base at a million rows (D1): every sort key gets an index on (merchant_id, key, id),
// so a first page is an index range in either direction; substring search (search box, names,
// e-mail, phone and card digits) gets trigram indexes. Measured figures: apps/server/README.md.
//
// pg_trgm takes letters by the cluster's C locale, for which Cyrillic is punctuation: indexed as
// is, a Cyrillic name yields no trigrams at all. So the names are lowered under the ICU root
// collation and Cyrillic is folded to Latin letters; the query (buyer-filters.ts) builds exactly
// the same expression and rechecks every hit with ILIKE, so the lossy folding only costs rechecks.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    DROP INDEX buyers_registered_idx;
    CREATE INDEX buyers_registered_idx ON buyers (merchant_id, registered_at, id);
    DROP INDEX buyers_purchases_count_idx;
    CREATE INDEX buyers_purchases_count_idx ON buyers (merchant_id, purchases_count, id);
    DROP INDEX buyers_purchases_total_idx;
    CREATE INDEX buyers_purchases_total_idx ON buyers (merchant_id, purchases_total, id);
    DROP INDEX buyers_balance_idx;
    CREATE INDEX buyers_balance_idx ON buyers (merchant_id, balance, id);
    DROP INDEX buyers_average_check_idx;
    CREATE INDEX buyers_average_check_idx
      ON buyers (merchant_id, (purchases_total::numeric / NULLIF(purchases_count, 0)), id);
    DROP INDEX buyers_birth_date_idx;
    CREATE INDEX buyers_birth_date_idx ON buyers (merchant_id, birth_date, id);
    -- lower(last_name) and lower(email) served no query: name filters are "contains".
    DROP INDEX buyers_last_name_idx;
    DROP INDEX buyers_email_idx;
    CREATE INDEX buyers_last_name_idx ON buyers (merchant_id, last_name, id);
    CREATE INDEX buyers_first_name_idx ON buyers (merchant_id, first_name, id);
    CREATE INDEX buyers_last_purchase_idx ON buyers (merchant_id, last_purchase_at, id);

    CREATE INDEX buyers_search_trgm_idx ON buyers USING gin ((translate(lower((coalesce(last_name, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(middle_name, '') || ' ' || coalesce(email, '')) COLLATE "und-x-icu"), 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя', 'abvgdeejzijklmnoprstufhccwwxyqeua')) gin_trgm_ops);
    CREATE INDEX buyers_phone_trgm_idx ON buyers USING gin (phone gin_trgm_ops);
    CREATE INDEX cards_number_trgm_idx ON cards USING gin (number gin_trgm_ops);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX cards_number_trgm_idx;
    DROP INDEX buyers_phone_trgm_idx;
    DROP INDEX buyers_search_trgm_idx;
    DROP INDEX buyers_last_purchase_idx;
    DROP INDEX buyers_first_name_idx;
    DROP INDEX buyers_last_name_idx;
    CREATE INDEX buyers_email_idx ON buyers (merchant_id, lower(email));
    CREATE INDEX buyers_last_name_idx ON buyers (merchant_id, lower(last_name));
    DROP INDEX buyers_birth_date_idx;
    CREATE INDEX buyers_birth_date_idx ON buyers (merchant_id, birth_date);
    DROP INDEX buyers_average_check_idx;
    CREATE INDEX buyers_average_check_idx
      ON buyers (merchant_id, (purchases_total::numeric / NULLIF(purchases_count, 0)));
    DROP INDEX buyers_balance_idx;
    CREATE INDEX buyers_balance_idx ON buyers (merchant_id, balance);
    DROP INDEX buyers_purchases_total_idx;
    CREATE INDEX buyers_purchases_total_idx ON buyers (merchant_id, purchases_total);
    DROP INDEX buyers_purchases_count_idx;
    CREATE INDEX buyers_purchases_count_idx ON buyers (merchant_id, purchases_count);
    DROP INDEX buyers_registered_idx;
    CREATE INDEX buyers_registered_idx ON buyers (merchant_id, registered_at);
  `.execute(db);
}

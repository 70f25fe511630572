// Stores, cashiers with access codes, the category tree and products (C11, B7). Links between a
// merchant's rows are composite foreign keys on (merchant_id, id), so the database itself refuses
// a cashier in another merchant's store or a product in another merchant's category; every table
// has that unique pair so later tables can link the same way.
// Names and SKUs use the ICU root collation: the cluster's locale is C, under which ILIKE, lower()
// and ORDER BY treat Cyrillic byte by byte ("арбуз" after "Яблоко", "ГРУША" not matching "груша").
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE stores (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      name text COLLATE "und-x-icu" NOT NULL,
      address text NOT NULL DEFAULT '',
      attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      CONSTRAINT stores_merchant_id_key UNIQUE (merchant_id, id)
    );
    CREATE INDEX stores_merchant_name_idx ON stores (merchant_id, name);
    CREATE TABLE cashiers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      store_id uuid,
      name text COLLATE "und-x-icu" NOT NULL,
      role text NOT NULL DEFAULT 'cashier' CHECK (role IN ('cashier', 'senior')),
      code_hash text NOT NULL,
      code_lookup bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      CONSTRAINT cashiers_merchant_id_key UNIQUE (merchant_id, id),
      CONSTRAINT cashiers_store_fkey FOREIGN KEY (merchant_id, store_id) REFERENCES stores (merchant_id, id),
      CONSTRAINT cashiers_code_key UNIQUE (merchant_id, code_lookup)
    );
    CREATE INDEX cashiers_merchant_name_idx ON cashiers (merchant_id, name);
    CREATE INDEX cashiers_store_idx ON cashiers (merchant_id, store_id);
    CREATE TABLE categories (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      parent_id uuid,
      name text COLLATE "und-x-icu" NOT NULL,
      position integer NOT NULL DEFAULT 0,
      CONSTRAINT categories_merchant_id_key UNIQUE (merchant_id, id),
      CONSTRAINT categories_parent_fkey FOREIGN KEY (merchant_id, parent_id)
        REFERENCES categories (merchant_id, id),
      CONSTRAINT categories_not_own_parent CHECK (parent_id <> id)
    );
    CREATE INDEX categories_parent_idx ON categories (merchant_id, parent_id);
    CREATE TABLE products (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      category_id uuid,
      sku text COLLATE "und-x-icu" NOT NULL,
      name text COLLATE "und-x-icu" NOT NULL,
      price bigint NOT NULL CHECK (price >= 0),
      min_price bigint NOT NULL DEFAULT 0 CHECK (min_price >= 0),
      barcodes text[] NOT NULL DEFAULT '{}',
      no_discount boolean NOT NULL DEFAULT false,
      no_accrual boolean NOT NULL DEFAULT false,
      no_points_payment boolean NOT NULL DEFAULT false,
      unit text NOT NULL DEFAULT 'piece' CHECK (unit IN ('piece', 'kg')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      CONSTRAINT products_merchant_id_key UNIQUE (merchant_id, id),
      CONSTRAINT products_sku_key UNIQUE (merchant_id, sku),
      CONSTRAINT products_category_fkey FOREIGN KEY (merchant_id, category_id)
        REFERENCES categories (merchant_id, id),
      CONSTRAINT products_min_price_within_price CHECK (min_price <= price)
    );
    CREATE INDEX products_barcodes_idx ON products USING gin (barcodes);
    CREATE INDEX products_category_idx ON products (merchant_id, category_id);
    CREATE INDEX products_merchant_name_idx ON products (merchant_id, name);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE products; DROP TABLE categories; DROP TABLE cashiers; DROP TABLE stores;`.execute(db);
}

// Names searched and sorted in the cabinet take the ICU root collation, as stores, cashiers,
// categories and products already do: under the cluster's C locale ILIKE and ORDER BY treat
// Cyrillic byte by byte, so "акция" did not find "Акция лета" and "Яблоко" sorted before "арбуз".
import { sql, type Kysely } from 'kysely';

const columns = [
  ['promotions', 'name'],
  ['coupon_series', 'name'],
  ['terminals', 'name'],
  ['card_types', 'name'],
  ['card_series', 'name'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of columns)
    await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN ${sql.ref(column)} TYPE text COLLATE "und-x-icu"`.execute(
      db,
    );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of columns)
    await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN ${sql.ref(column)} TYPE text COLLATE "default"`.execute(
      db,
    );
}

// Foreign keys during a bulk load. PostgreSQL checks each inserted row's references with a
// trigger that probes the parent's index and locks the parent row; over a million generated
// rows that is a sixth of the seed's database time. When the connection may (superuser) and
// no trigger of our own would be skipped, the load suspends row triggers and then checks every
// foreign key of the schema over all rows at once, as pg_restore's --disable-triggers would
// have you do by hand. The rows are the same either way; a broken reference still fails the
// seed's transaction.
import { sql, type Transaction } from 'kysely';
import type { Database } from '#db/database-schema.ts';

type Trx = Transaction<Database>;

/** Suspends row triggers until `checkForeignKeys`; false when it may not (and nothing changed). */
export async function suspendRowTriggers(trx: Trx): Promise<boolean> {
  const result = await sql<{ superuser: boolean; triggers: number }>`
    SELECT current_setting('is_superuser') = 'on' AS superuser,
      (SELECT count(*)::int FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE NOT t.tgisinternal AND n.nspname = current_schema()) AS triggers`.execute(trx);
  const state = result.rows[0];
  if (!state?.superuser || state.triggers > 0) return false;
  await sql`SET LOCAL session_replication_role = replica`.execute(trx);
  return true;
}

/** Checks every foreign key of the current schema set-wise, then restores row triggers. */
export async function checkForeignKeys(trx: Trx): Promise<void> {
  const keys = await sql<{ name: string; child: string; parent: string; columns: string[]; refs: string[] }>`
    SELECT con.conname AS name,
      con.conrelid::regclass::text AS child,
      con.confrelid::regclass::text AS parent,
      array(SELECT quote_ident(a.attname) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns,
      array(SELECT quote_ident(a.attname) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS refs
    FROM pg_constraint con
    JOIN pg_namespace n ON n.oid = con.connamespace
    WHERE con.contype = 'f' AND n.nspname = current_schema()
    ORDER BY con.conname`.execute(trx);
  for (const key of keys.rows) {
    // MATCH SIMPLE, as the constraints are declared: a row with a null in the key is not checked.
    const filled = key.columns.map((c) => `c.${c} IS NOT NULL`).join(' AND ');
    const joined = key.columns.map((c, i) => `p.${key.refs[i] ?? ''} = c.${c}`).join(' AND ');
    const broken = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${sql.raw(key.child)} c
      WHERE ${sql.raw(filled)} AND NOT EXISTS (SELECT 1 FROM ${sql.raw(key.parent)} p WHERE ${sql.raw(joined)})
    `.execute(trx);
    const n = broken.rows[0]?.n ?? 0;
    if (n > 0) throw new Error(`bulk load broke foreign key ${key.name}: ${n} rows of ${key.child}`);
  }
  await sql`SET LOCAL session_replication_role = origin`.execute(trx);
}

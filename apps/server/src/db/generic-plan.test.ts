// The generic-plan pool beside each database handle (database.ts): its connections reuse one plan
// of a prepared statement, the main pool's keep PostgreSQL's choice, and destroying the handle
// closes both (a leaked pool would keep connections to a dropped database).
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.ts';
import { genericPlanDb, openDatabase } from './database.ts';

const mode = sql<{ plan_cache_mode: string }>`SHOW plan_cache_mode`;

describe('the generic-plan pool', () => {
  it('forces generic plans on its own connections only, and closes with the handle', async () => {
    const database = await createTestDatabase(2);
    const { db } = database;
    const generic = genericPlanDb(db);
    expect(generic).not.toBe(db);
    expect((await mode.execute(db)).rows[0]?.plan_cache_mode).toBe('auto');
    expect((await mode.execute(generic)).rows[0]?.plan_cache_mode).toBe('force_generic_plan');
    // A transaction (or any handle not opened by openDatabase) runs its reads where it is.
    await db.transaction().execute(async (trx) => {
      expect(genericPlanDb(trx)).toBe(trx);
      expect((await mode.execute(trx)).rows[0]?.plan_cache_mode).toBe('auto');
    });
    const connections = sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    const url = database.url;
    await db.destroy();
    const probe = openDatabase(url, 1);
    try {
      // Both pools are gone: nothing but the probe is connected to the database.
      await expect.poll(async () => (await connections.execute(probe)).rows[0]?.n, { timeout: 5000 }).toBe(0);
    } finally {
      await probe.destroy();
      await database.drop();
    }
  });
});

// The database a server benchmark runs against: an embedded PostgreSQL of its own (or
// BENCH_DATABASE_URL), migrated, with one merchant, its programme, a store, buyers with points
// and an API key for the purchase flow.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, chmod, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { programmeSettingsSchema } from '@loyalty/protocol/api/programme.schema';
import { openDatabase, type Db } from '../../apps/server/src/db/database.ts';
import { startEmbeddedPostgres } from '../../apps/server/src/db/embedded-postgres.ts';
import { migrateToLatest } from '../../apps/server/src/db/migrate.ts';
import { freePort } from '../../apps/server/test/free-port.ts';

/** Everything a benchmark needs, and how to tear it down. */
export type ServerFixture = {
  url: string;
  db: Db;
  merchantId: string;
  storeId: string;
  cardTypeIds: string[];
  apiKey: string;
  /** The embedded PostgreSQL's data folder (null with BENCH_DATABASE_URL), to find its processes. */
  dataDir: string | null;
  close(): Promise<void>;
};

const rule = {
  accrual: { kind: 'percent', percent: 200 },
  accrualBase: 'paid',
  rounding: 'nearest_whole',
  expiry: { kind: 'days', days: 365 },
  activation: { kind: 'immediate' },
  payment: { kind: 'up_to', percent: 5000, minPoints: 0 },
  discountPercent: 0,
};

/** Starts the database and fills the merchant (buyers get 1,000.00 points each). */
export async function serverFixture(buyers: number): Promise<ServerFixture> {
  let adminUrl = process.env.BENCH_DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  let folder: string | null = null;
  if (!adminUrl) {
    folder = await mkdtemp(join(tmpdir(), 'loyalty-bench-pg-'));
    await chmod(folder, 0o755);
    const embedded = await startEmbeddedPostgres({
      dataDir: join(folder, 'data'),
      port: await freePort(),
      database: 'postgres',
      log: { info: () => undefined, warn: () => undefined },
      // BENCH_PG_STATS=1 records per-statement times (printed after the confirm run).
      settings: [
        ...(process.env.BENCH_PG_STATS
          ? ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track_planning=on']
          : []),
        ...(process.env.BENCH_PG_SETTINGS?.split(',') ?? []),
      ],
    });
    adminUrl = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = openDatabase(url.toString(), 10);
  await migrateToLatest(db);

  const merchant = await db
    .insertInto('merchants')
    .values({ name: 'Бенчмарк' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const m = merchant.id;
  const types = await db
    .insertInto('card_types')
    .values([
      { merchant_id: m, name: 'Стандартная', rank: 0, threshold: null, issue: 'default' },
      { merchant_id: m, name: 'Серебряная', rank: 1, threshold: 5_000_000, issue: 'threshold' },
    ])
    .returning('id')
    .execute();
  const cardTypeIds = types.map((t) => t.id);
  await db
    .insertInto('programme_rules')
    .values(
      cardTypeIds.map((id) => ({
        merchant_id: m,
        card_type_id: id,
        category_id: null,
        body: JSON.stringify(rule),
      })),
    )
    .execute();
  await db
    .insertInto('programme_settings')
    .values({
      merchant_id: m,
      body: JSON.stringify(
        programmeSettingsSchema.parse({ type: 'bonus', defaultCardTypeId: cardTypeIds[0] }),
      ),
    })
    .execute();
  const store = await db
    .insertInto('stores')
    .values({
      merchant_id: m,
      name: 'Магазин',
      attributes: JSON.stringify({ format: 'hyper', city: 'Москва' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // Buyers with an opening lot and entry each, so balance = entries = lots holds from the start.
  await sql`
    INSERT INTO buyers (merchant_id, phone, channel, card_type_id, balance, registered_at)
    SELECT ${m}, '+79' || lpad(g::text, 9, '0'), 'api', ${cardTypeIds[0]}, 100000, now() - interval '100 days'
    FROM generate_series(1, ${buyers}) g`.execute(db);
  await sql`
    WITH lots AS (
      INSERT INTO point_lots (merchant_id, buyer_id, source, initial, remaining, activates_at, expires_at)
      SELECT ${m}, id, 'import', 100000, 100000, now() - interval '1 day', now() + interval '300 days'
      FROM buyers WHERE merchant_id = ${m}
      RETURNING id, buyer_id)
    INSERT INTO ledger_entries (merchant_id, buyer_id, operation_id, kind, points, lot_id)
    SELECT ${m}, buyer_id, gen_random_uuid(), 'opening_balance', 100000, id FROM lots`.execute(db);

  const secret = randomBytes(30).toString('base64url');
  const key = await db
    .insertInto('api_keys')
    .values({
      merchant_id: m,
      name: 'bench',
      secret_hash: createHash('sha256').update(secret).digest(),
      scopes: ['sales:write', 'buyers:read'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    url: url.toString(),
    db,
    merchantId: m,
    storeId: store.id,
    cardTypeIds,
    apiKey: `lk_${key.id.replaceAll('-', '')}_${secret}`,
    dataDir: folder ? join(folder, 'data') : null,
    close: async () => {
      await db.destroy();
      if (stopEmbedded) await stopEmbedded();
      if (folder) await rm(folder, { recursive: true, force: true });
    },
  };
}

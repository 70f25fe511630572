// The demo merchant created on an empty database, so a newcomer can sign in at once and find a
// year of realistic data. All of it is written in one transaction: a crash mid-way leaves the
// database empty and the next start tries again.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { accessCodeLookup } from '#cashiers/access-code.ts';
import type { CashierRole } from '#db/database-schema.ts';
import type { Db } from '#db/database.ts';
import { DEMO_SIZES, generateDemoMerchant, type DemoSizes, type DemoSummary } from './demo-merchant.ts';
import { DEMO_CASHIERS, DEMO_OWNER, DEMO_STORES, DEMO_USERS, type DemoLogin } from './demo-staff.ts';

export { DEMO_OWNER } from './demo-staff.ts';

/** The demo's logins, printed at start. */
export type DemoInfo = {
  /** The owner's login (the first thing a newcomer needs). */
  email: string;
  password: string;
  users: DemoLogin[];
  cashiers: Array<{ store: string; name: string; role: CashierRole; code: string }>;
  /** Set when this call created the merchant. */
  created: DemoSummary | null;
};

/** Options for tests and tools; `npm start` uses the defaults. */
export type DemoSeedOptions = { sizes?: Partial<DemoSizes>; now?: Date; seed?: number };

/** Seeds with one fixed seed, so every fresh clone gets the same demo shop. */
const DEMO_SEED = 20_261_122;
// Two servers starting on one empty database must not both seed it.
const SEED_LOCK = 'loyalty-demo-seed';

/** Creates the demo merchant when there is no merchant at all; returns the demo logins. */
export async function seedDemoIfEmpty(
  db: Db,
  logger: Logger,
  options: DemoSeedOptions = {},
): Promise<DemoInfo | null> {
  const existing = await db.selectFrom('merchants').select('id').limit(1).executeTakeFirst();
  if (existing) return existingDemo(db);
  const sizes = { ...DEMO_SIZES, ...options.sizes };
  logger.info(sizes, 'empty database: creating the demo merchant');
  const created = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${SEED_LOCK}))`.execute(trx);
    const raced = await trx.selectFrom('merchants').select('id').limit(1).executeTakeFirst();
    if (raced) return null;
    return generateDemoMerchant(trx, logger, {
      sizes,
      now: options.now ?? new Date(),
      seed: options.seed ?? DEMO_SEED,
    });
  });
  if (!created) return existingDemo(db);
  logger.info(created, 'demo merchant created');
  const info = await existingDemo(db);
  return info ? { ...info, created } : null;
}

/** The demo logins that still work: users that exist, cashiers whose printed code is theirs. */
async function existingDemo(db: Db): Promise<DemoInfo | null> {
  const owner = await db
    .selectFrom('users')
    .select('merchant_id')
    .where(sql<string>`lower(email)`, '=', DEMO_OWNER.email)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!owner) return null;
  const merchantId = owner.merchant_id;
  const [users, cashiers, stores] = await Promise.all([
    db
      .selectFrom('users')
      .select(sql<string>`lower(email)`.as('email'))
      .where('merchant_id', '=', merchantId)
      .where('disabled_at', 'is', null)
      .execute(),
    db
      .selectFrom('cashiers')
      .select(['code_lookup', 'name', 'store_id'])
      .where('merchant_id', '=', merchantId)
      .where('archived_at', 'is', null)
      .execute(),
    db.selectFrom('stores').select(['id', 'name']).where('merchant_id', '=', merchantId).execute(),
  ]);
  const emails = new Set(users.map((u) => u.email));
  const storeName = new Map(stores.map((s) => [s.id, s.name]));
  return {
    ...DEMO_OWNER,
    users: DEMO_USERS.filter((u) => emails.has(u.email)),
    // A code a manager has since reset no longer matches its lookup and is not printed.
    cashiers: DEMO_CASHIERS.flatMap((c) => {
      const lookup = accessCodeLookup(merchantId, c.code);
      const cashier = cashiers.find((row) => row.code_lookup.equals(lookup));
      if (!cashier) return [];
      const fallback = DEMO_STORES.find((s) => s.key === c.storeKey)?.name ?? '';
      return [
        {
          store: (cashier.store_id && storeName.get(cashier.store_id)) || fallback,
          name: cashier.name,
          role: c.role,
          code: c.code,
        },
      ];
    }),
    created: null,
  };
}

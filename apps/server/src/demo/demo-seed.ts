// The demo merchant created on an empty database, so a newcomer can sign in at once.
import type { Logger } from 'pino';
import { hashSecret } from '#auth/secrets.ts';
import type { Db } from '#db/database.ts';

/** The demo owner's credentials (printed at start; change them on any real deployment). */
export const DEMO_OWNER = { email: 'owner@demo.local', password: 'demo-owner-2026' } as const;

/** Creates the demo merchant when there is no merchant at all; returns its login. */
export async function seedDemoIfEmpty(db: Db, logger: Logger): Promise<typeof DEMO_OWNER | null> {
  const existing = await db.selectFrom('merchants').select('id').limit(1).executeTakeFirst();
  if (existing) {
    const owner = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', DEMO_OWNER.email)
      .executeTakeFirst();
    return owner ? DEMO_OWNER : null;
  }
  logger.info('empty database: creating the demo merchant');
  await db.transaction().execute(async (trx) => {
    const merchant = await trx
      .insertInto('merchants')
      .values({ name: 'Демо-магазин «Ромашка»', time_zone: 'Europe/Moscow' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('users')
      .values({
        merchant_id: merchant.id,
        email: DEMO_OWNER.email,
        name: 'Владелец (демо)',
        role: 'owner',
        password_hash: await hashSecret(DEMO_OWNER.password),
      })
      .execute();
  });
  return DEMO_OWNER;
}

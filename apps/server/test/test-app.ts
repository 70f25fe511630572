// The real application over a real database, driven with app.inject, plus helpers to create
// merchants and sign in as any role.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../src/app.ts';
import { hashSecret } from '../src/auth/secrets.ts';
import type { Role } from '../src/db/database-schema.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/** A signed-in cabinet user: send requests with its cookie and CSRF token. */
export type Session = {
  merchantId: string;
  userId: string;
  request(method: string, url: string, body?: unknown): Promise<LightMyRequestResponse>;
};

/** The application, its database and session helpers. */
export type TestApp = TestDatabase & {
  app: FastifyInstance;
  createMerchant(name?: string): Promise<string>;
  signIn(role: Role, merchantId?: string): Promise<Session>;
  close(): Promise<void>;
};

let counter = 0;
const PASSWORD = 'correct horse battery';
const passwordHash = hashSecret(PASSWORD);

/** Starts the app on a fresh database, or on `given` (a PostgreSQL the test controls itself). */
export async function createTestApp(given?: TestDatabase): Promise<TestApp> {
  const database = given ?? (await createTestDatabase());
  const app = await buildApp({
    db: database.db,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    databaseUrl: database.url,
  });
  const createMerchant = async (name = 'Тестовый магазин') =>
    (await database.db.insertInto('merchants').values({ name }).returning('id').executeTakeFirstOrThrow()).id;

  const signIn = async (role: Role, merchantId?: string): Promise<Session> => {
    const merchant = merchantId ?? (await createMerchant());
    const email = `user${++counter}-${Date.now()}@test.local`;
    const user = await database.db
      .insertInto('users')
      .values({ merchant_id: merchant, email, name: role, role, password_hash: await passwordHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD },
    });
    if (login.statusCode !== 200) throw new Error(`sign-in failed: ${login.body}`);
    const cookie = login.cookies.find((c) => c.name === 'sid');
    const { csrfToken } = login.json<{ csrfToken: string }>();
    return {
      merchantId: merchant,
      userId: user.id,
      request: (method, url, body) =>
        app.inject({
          method: method as 'GET',
          url,
          cookies: { sid: cookie?.value ?? '' },
          headers: { 'x-csrf-token': csrfToken },
          ...(body === undefined ? {} : { payload: body as object }),
        }),
    };
  };

  return {
    ...database,
    app,
    createMerchant,
    signIn,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

// Sessions, login attempts, password resets and API keys in PostgreSQL.
import { sql } from 'kysely';
import type { Db } from '#db/database.ts';
import { PREPARED } from '#db/prepared-statements.ts';
import { TurnBatch } from '#db/turn-batch.ts';

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A session by the SHA-256 of its cookie token, with its user, if still valid. */
export async function findSession(db: Db, hash: Buffer) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as sessionId',
      'sessions.csrf_token as csrfToken',
      'users.id as userId',
      'users.merchant_id as merchantId',
      'users.role as role',
    ])
    .where('sessions.token_hash', '=', hash)
    .where('sessions.expires_at', '>', new Date())
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Opens a session for a user. */
export async function createSession(
  db: Db,
  session: { hash: Buffer; userId: string; merchantId: string; csrfToken: string; now: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.hash,
      user_id: session.userId,
      merchant_id: session.merchantId,
      csrf_token: session.csrfToken,
      expires_at: new Date(session.now.getTime() + SESSION_TTL_MS),
    })
    .execute();
}

/** Ends one session. */
export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of a user except one (after a password change). */
export async function deleteOtherSessions(
  db: Db,
  userId: string,
  keepSessionId: string | null,
): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionId) query = query.where('id', '<>', keepSessionId);
  await query.execute();
}

/** Failed attempts for a key within the window, to throttle password guessing. */
export async function recentFailures(db: Db, key: string, windowMs: number): Promise<number> {
  const row = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key', '=', key)
    .where('succeeded', '=', false)
    .where('attempted_at', '>', new Date(Date.now() - windowMs))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records a login attempt for each throttling key. */
export async function recordAttempt(db: Db, keys: readonly string[], succeeded: boolean): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values(keys.map((key) => ({ key, succeeded })))
    .execute();
  // Old attempts say nothing about now; keep the table small.
  await sql`DELETE FROM login_attempts WHERE attempted_at < now() - interval '1 day'`.execute(db);
}

type ApiKeyRow = { id: string; merchant_id: string; secret_hash: Buffer; scopes: string[] };

const apiKeyBatches = new WeakMap<Db, TurnBatch<string, ApiKeyRow | undefined>>();

/**
 * An API key by id, if not revoked. Every API request asks this first: the requests of one turn
 * share one prepared statement (turn-batch.ts), and their reads after it then meet in one turn too.
 */
export async function findApiKey(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  let batch = apiKeyBatches.get(db);
  if (!batch) {
    batch = new TurnBatch(async (ids) => {
      const result = await sql<ApiKeyRow>`${PREPARED}
        SELECT id, merchant_id, secret_hash, scopes FROM api_keys
         WHERE id = ANY(${[...new Set(ids)]}::uuid[]) AND revoked_at IS NULL`.execute(db);
      const byId = new Map(result.rows.map((row) => [row.id, row]));
      return ids.map((key) => byId.get(key));
    });
    apiKeyBatches.set(db, batch);
  }
  return batch.load(id);
}

/** Notes when a key was last used (at most once a minute, to spare writes). */
export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: new Date() })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(Date.now() - 60_000))]),
    )
    .execute();
}

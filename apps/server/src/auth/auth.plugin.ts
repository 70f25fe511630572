// Resolves the caller on every request: a session cookie (cabinet) or a bearer API key
// (integrations). Unsafe methods with a cookie must also carry the session's CSRF token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, ErrorCode } from '#http/api-error.ts';
import type { Db } from '#db/database.ts';
import { findApiKey, findSession, touchApiKey } from './auth.repository.ts';
import { demand, type Actor } from './actor.ts';
import type { Permission } from './permissions.ts';
import { sameSecret, tokenHash } from './secrets.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export const SESSION_COOKIE = 'sid';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Terminal tokens start with this (packages/protocol/SYNC.md). */
export const TERMINAL_TOKEN_PREFIX = 'tt_';
const API_KEY_PATTERN = /^lk_([0-9a-f]{32})_([A-Za-z0-9_-]{20,})$/;

/** When this process last recorded each API key's use (touchApiKey). */
const touchedAt = new Map<string, number>();

function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function resolveActor(db: Db, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  // Terminal tokens are resolved by the sync routes (terminal-auth.ts), not as cabinet actors.
  if (header?.startsWith(`Bearer ${TERMINAL_TOKEN_PREFIX}`)) return null;
  if (header?.startsWith('Bearer ')) {
    const match = API_KEY_PATTERN.exec(header.slice(7).trim());
    if (!match?.[1] || !match[2]) throw new ApiError(401, ErrorCode.unauthenticated, 'Неверный ключ API');
    const key = await findApiKey(db, uuidFromHex(match[1]));
    if (!key || !tokenHash(match[2]).equals(key.secret_hash))
      throw new ApiError(401, ErrorCode.unauthenticated, 'Ключ API не найден или отозван');
    // The key's last use is kept to the minute: this process skips the write in between.
    const now = Date.now();
    if ((touchedAt.get(key.id) ?? 0) < now - 60_000) {
      if (touchedAt.size > 10_000) touchedAt.clear();
      touchedAt.set(key.id, now);
      await touchApiKey(db, key.id);
    }
    return { kind: 'api_key', id: key.id, merchantId: key.merchant_id, scopes: new Set(key.scopes) };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const session = await findSession(db, tokenHash(token));
  if (!session) return null;
  if (!SAFE_METHODS.has(request.method)) {
    const csrf = request.headers['x-csrf-token'];
    if (typeof csrf !== 'string' || !sameSecret(csrf, session.csrfToken))
      throw new ApiError(
        403,
        ErrorCode.csrfFailed,
        'Сессия не подтверждена (CSRF). Обновите страницу и повторите.',
      );
  }
  return {
    kind: 'user',
    id: session.userId,
    merchantId: session.merchantId,
    role: session.role,
    sessionId: session.sessionId,
  };
}

/** Registers the request hook that fills `request.actor`. */
export function installAuth(app: FastifyInstance, db: Db): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    request.actor = await resolveActor(db, request);
  });
}

/** The caller, or 401 when nobody is signed in. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor)
    throw new ApiError(401, ErrorCode.unauthenticated, 'Войдите в кабинет или передайте ключ API');
  return request.actor;
}

/** The caller after checking one permission (401 or 403 otherwise). */
export function authorize(request: FastifyRequest, permission: Permission): Actor {
  const actor = actorOf(request);
  demand(actor, permission);
  return actor;
}

// Terminal credentials (B1): `Authorization: Bearer tt_<terminal id hex>_<secret>`. The id finds
// the row, a SHA-256 of the secret checks it (the secret has 256 bits: no slow hash needed). A
// revoked terminal is told so in words the cashier can act on.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { TerminalAuthError } from '@loyalty/protocol/sync/pairing.schema';
import { TERMINAL_TOKEN_PREFIX } from '#auth/auth.plugin.ts';
import { tokenHash } from '#auth/secrets.ts';
import type { Db } from '#db/database.ts';
import { ApiError } from '#http/api-error.ts';

/** The terminal a sync request comes from. */
export type TerminalActor = { terminalId: string; merchantId: string; storeId: string };

const TOKEN_PATTERN = /^tt_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

/** Message shown on the till when its terminal was revoked in the cabinet. */
export const REVOKED_MESSAGE =
  'Терминал отключён в кабинете. Обратитесь к администратору и подключите его заново.';

const unauthorized = () =>
  new ApiError(
    401,
    TerminalAuthError.unauthorized,
    'Терминал не подключён или его ключ заменён. Подключите терминал заново кодом из кабинета.',
  );

/** A new token for the terminal and the hash the database keeps. */
export function newTerminalToken(terminalId: string): { token: string; hash: Buffer } {
  const secret = randomBytes(32).toString('base64url');
  return {
    token: `${TERMINAL_TOKEN_PREFIX}${terminalId.replaceAll('-', '')}_${secret}`,
    hash: tokenHash(secret),
  };
}

function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Resolves the bearer token to the terminal, or throws 401 (unknown, replaced or revoked). */
export async function authenticateTerminal(db: Db, request: FastifyRequest): Promise<TerminalActor> {
  const header = request.headers.authorization;
  const match = header?.startsWith('Bearer ') ? TOKEN_PATTERN.exec(header.slice(7).trim()) : null;
  if (!match?.[1] || !match[2]) throw unauthorized();
  const row = await db
    .selectFrom('terminals')
    .select(['id', 'merchant_id', 'store_id', 'status', 'token_hash'])
    .where('id', '=', uuidFromHex(match[1]))
    .executeTakeFirst();
  if (!row?.token_hash || !timingSafeEqual(row.token_hash, tokenHash(match[2]))) throw unauthorized();
  if (row.status === 'revoked') throw new ApiError(401, TerminalAuthError.revoked, REVOKED_MESSAGE);
  return { terminalId: row.id, merchantId: row.merchant_id, storeId: row.store_id };
}

// Pairing (B1): a terminal trades the one-time code from the cabinet for its token. The code
// works once; pairing again (a reinstalled till) replaces the token, and a revoked terminal
// paired with a fresh code is active again under the same id. Wrong codes are counted per
// address (in login_attempts, like password guesses): a code is 8 of 25 letters and lives a day,
// but nobody should get to try them by the million.
import { TerminalAuthError } from '@loyalty/protocol/sync/pairing.schema';
import { recentFailures, recordAttempt } from '#auth/auth.repository.ts';
import type { Db } from '#db/database.ts';
import { ApiError, ErrorCode } from '#http/api-error.ts';
import { pairingCodeHash } from '#terminals/pairing-code.ts';
import { newTerminalToken } from './terminal-auth.ts';

const WINDOW_MS = 15 * 60 * 1000;
/** Wrong codes from one address in WINDOW_MS before it must wait; an installer mistypes a few. */
export const MAX_PAIRING_FAILURES_PER_ADDRESS = 20;

/**
 * Trades a code for credentials; 400 pairing_code_invalid when unknown, used or expired, 429
 * too_many_requests after too many wrong codes from the address.
 */
export async function pairTerminal(db: Db, input: { code: string; deviceName: string }, address: string) {
  const key = `pair-ip:${address}`;
  if ((await recentFailures(db, key, WINDOW_MS)) >= MAX_PAIRING_FAILURES_PER_ADDRESS)
    throw new ApiError(
      429,
      ErrorCode.tooManyRequests,
      'Слишком много неверных кодов подключения с этого адреса. Подождите 15 минут и введите код из кабинета ещё раз.',
    );
  try {
    return await pairWithCode(db, input);
  } catch (error) {
    if (error instanceof ApiError && error.code === TerminalAuthError.pairingCodeInvalid)
      await recordAttempt(db, [key], false);
    throw error;
  }
}

async function pairWithCode(db: Db, input: { code: string; deviceName: string }) {
  return db.transaction().execute(async (trx) => {
    // Clearing the hash in the same statement that finds it makes the code single-use even
    // when two terminals race with it.
    const now = new Date();
    const found = await trx
      .selectFrom('terminals')
      .select(['id', 'merchant_id', 'store_id', 'last_seq'])
      .where('pairing_code_hash', '=', pairingCodeHash(input.code))
      .where('pairing_code_expires_at', '>', now)
      .forUpdate()
      .executeTakeFirst();
    if (!found)
      throw new ApiError(
        400,
        TerminalAuthError.pairingCodeInvalid,
        'Код подключения не подходит: он неверный, уже использован или истёк. Получите новый код в кабинете.',
      );
    const { token, hash } = newTerminalToken(found.id);
    await trx
      .updateTable('terminals')
      .set({
        token_hash: hash,
        pairing_code_hash: null,
        pairing_code_expires_at: null,
        status: 'active',
        revoked_at: null,
        device_name: input.deviceName || null,
        paired_at: now,
        updated_at: now,
      })
      .where('id', '=', found.id)
      .execute();
    return {
      terminalId: found.id,
      merchantId: found.merchant_id,
      storeId: found.store_id,
      token,
      // A reinstalled till starts from an empty database: it raises its counter past this, so
      // it never reuses a sequence number the server has already applied.
      lastSeq: Number(found.last_seq),
    };
  });
}

// Pairing (B1): a terminal trades the one-time code from the cabinet for its token. The code
// works once; pairing again (a reinstalled till) replaces the token, and a revoked terminal
// paired with a fresh code is active again under the same id.
import { TerminalAuthError } from '@loyalty/protocol/sync/pairing.schema';
import type { Db } from '#db/database.ts';
import { ApiError } from '#http/api-error.ts';
import { pairingCodeHash } from '#terminals/pairing-code.ts';
import { newTerminalToken } from './terminal-auth.ts';

/** Trades a code for credentials; 400 pairing_code_invalid when unknown, used or expired. */
export async function pairTerminal(db: Db, input: { code: string; deviceName: string }) {
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

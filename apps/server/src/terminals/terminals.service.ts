// Changes to terminals from the cabinet (B1), each in one transaction with its audit entry.
import type { Actor } from '#auth/actor.ts';
import { writeAudit } from '#audit/audit.repository.ts';
import type { Db } from '#db/database.ts';
import { isUniqueViolation } from '#db/pg-error.ts';
import { ApiError, notFound } from '#http/api-error.ts';
import { groupPairingCode, newPairingCode, PAIRING_CODE_TTL_MS, pairingCodeHash } from './pairing-code.ts';
import { findTerminal, terminalView } from './terminals.repository.ts';

// 25^8 codes make a collision between live codes rare; a few retries make it a non-event.
const CODE_ATTEMPTS = 5;

async function withFreshCode<T>(run: (code: string) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const code = newPairingCode();
    try {
      return await run(code);
    } catch (error) {
      if (attempt < CODE_ATTEMPTS && isUniqueViolation(error, 'terminals_pairing_code')) continue;
      throw error;
    }
  }
}

/** Creates a terminal for an active store of the merchant, with its one-time pairing code. */
export function createTerminal(db: Db, actor: Actor, input: { storeId: string; name: string }) {
  return withFreshCode((code) =>
    db.transaction().execute(async (trx) => {
      const store = await trx
        .selectFrom('stores')
        .select('id')
        .where('merchant_id', '=', actor.merchantId)
        .where('id', '=', input.storeId)
        .where('archived_at', 'is', null)
        .executeTakeFirst();
      if (!store) throw notFound('Магазин');
      const expiresAt = new Date(Date.now() + PAIRING_CODE_TTL_MS);
      const { id } = await trx
        .insertInto('terminals')
        .values({
          merchant_id: actor.merchantId,
          store_id: store.id,
          name: input.name,
          pairing_code_hash: pairingCodeHash(code),
          pairing_code_expires_at: expiresAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = await findTerminal(trx, actor.merchantId, id);
      if (!row) throw notFound('Терминал');
      const view = terminalView(row);
      await writeAudit(trx, actor, {
        action: 'terminal.create',
        entity: 'terminal',
        entityId: id,
        after: view,
      });
      return { ...view, pairingCode: groupPairingCode(code), pairingCodeExpiresAt: expiresAt.toISOString() };
    }),
  );
}

/**
 * Issues a new pairing code; the previous one stops working. A revoked terminal may be paired
 * again this way and keeps its id, so the ops it still holds are accepted after re-pairing.
 */
export function issuePairingCode(db: Db, actor: Actor, id: string) {
  return withFreshCode((code) =>
    db.transaction().execute(async (trx) => {
      const expiresAt = new Date(Date.now() + PAIRING_CODE_TTL_MS);
      const updated = await trx
        .updateTable('terminals')
        .set({
          pairing_code_hash: pairingCodeHash(code),
          pairing_code_expires_at: expiresAt,
          updated_at: new Date(),
        })
        .where('merchant_id', '=', actor.merchantId)
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw notFound('Терминал');
      const row = await findTerminal(trx, actor.merchantId, id);
      if (!row) throw notFound('Терминал');
      await writeAudit(trx, actor, { action: 'terminal.pairing_code', entity: 'terminal', entityId: id });
      return {
        ...terminalView(row),
        pairingCode: groupPairingCode(code),
        pairingCodeExpiresAt: expiresAt.toISOString(),
      };
    }),
  );
}

/** Revokes a terminal: its token and any pending pairing code stop working at once. */
export function revokeTerminal(db: Db, actor: Actor, id: string) {
  return db.transaction().execute(async (trx) => {
    const before = await findTerminal(trx, actor.merchantId, id);
    if (!before) throw notFound('Терминал');
    if (before.status === 'revoked') return terminalView(before);
    await trx
      .updateTable('terminals')
      .set({
        status: 'revoked',
        revoked_at: new Date(),
        pairing_code_hash: null,
        pairing_code_expires_at: null,
        updated_at: new Date(),
      })
      .where('merchant_id', '=', actor.merchantId)
      .where('id', '=', id)
      .execute();
    const row = await findTerminal(trx, actor.merchantId, id);
    if (!row) throw notFound('Терминал');
    const view = terminalView(row);
    await writeAudit(trx, actor, {
      action: 'terminal.revoke',
      entity: 'terminal',
      entityId: id,
      before: terminalView(before),
      after: view,
    });
    return view;
  });
}

/** Renames a terminal. */
export function renameTerminal(db: Db, actor: Actor, id: string, name: string) {
  return db.transaction().execute(async (trx) => {
    const before = await findTerminal(trx, actor.merchantId, id);
    if (!before) throw notFound('Терминал');
    await trx
      .updateTable('terminals')
      .set({ name, updated_at: new Date() })
      .where('merchant_id', '=', actor.merchantId)
      .where('id', '=', id)
      .execute();
    const row = await findTerminal(trx, actor.merchantId, id);
    if (!row) throw new ApiError(404, 'not_found', 'Терминал не найден');
    await writeAudit(trx, actor, {
      action: 'terminal.update',
      entity: 'terminal',
      entityId: id,
      before: { name: before.name },
      after: { name },
    });
    return terminalView(row);
  });
}

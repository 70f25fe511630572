// Changes to cashiers: each runs in one transaction with its audit entry (C10). Access codes are
// returned to the caller once and audited only as the fact of a change.
import type { Actor } from '#auth/actor.ts';
import { hashSecret } from '#auth/secrets.ts';
import { writeAudit } from '#audit/audit.repository.ts';
import type { CashierRole } from '#db/database-schema.ts';
import type { Db } from '#db/database.ts';
import { isUniqueViolation } from '#db/pg-error.ts';
import { badRequest, conflict, notFound } from '#http/api-error.ts';
import { findStore } from '#stores/stores.repository.ts';
import { accessCodeLookup, generateAccessCode } from './access-code.ts';
import {
  cashierIdByCodeLookup,
  cashierView,
  findCashier,
  insertCashier,
  lockActiveCashier,
  updateCashier,
} from './cashiers.repository.ts';

// Six digits give a million codes per merchant, so a random pick rarely collides; a few tries
// are plenty, and a merchant that still collides can choose a code.
const MAX_ATTEMPTS = 5;
const CODE_TAKEN = 'Этот код доступа уже у другого кассира. Выберите другой код.';

type IssuedCode = { code: string; hash: string; lookup: Buffer };

/** Runs `save` with a free code: the given one (409 when another cashier has it) or a random one. */
async function withFreeCode<T>(
  db: Db,
  merchantId: string,
  given: string | undefined,
  ownerId: string | null,
  save: (code: IssuedCode) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const code = given ?? generateAccessCode();
    const lookup = accessCodeLookup(merchantId, code);
    const holder = await cashierIdByCodeLookup(db, merchantId, lookup);
    if (holder !== null && holder !== ownerId) {
      if (given !== undefined) throw conflict(CODE_TAKEN, { field: 'code' });
      continue;
    }
    const hash = await hashSecret(code);
    try {
      return await save({ code, hash, lookup });
    } catch (error) {
      // Another request took the same code between the check and the write.
      if (!isUniqueViolation(error, 'cashiers_code_key')) throw error;
      if (given !== undefined) throw conflict(CODE_TAKEN, { field: 'code' });
    }
  }
  throw conflict('Не удалось подобрать свободный код доступа. Задайте код вручную.', { field: 'code' });
}

/** Refuses a store that is not an active store of this merchant. */
async function requireActiveStore(db: Db, merchantId: string, storeId: string | null): Promise<void> {
  if (storeId === null) return;
  const store = await findStore(db, merchantId, storeId);
  if (!store || store.archived_at !== null)
    throw badRequest('unknown_store', 'Магазин не найден или убран в архив', { storeId });
}

/** Creates a cashier and returns it with its access code, shown this once. */
export async function createCashier(
  db: Db,
  actor: Actor,
  input: { name: string; role: CashierRole; storeId: string | null; code?: string | undefined },
) {
  await requireActiveStore(db, actor.merchantId, input.storeId);
  return withFreeCode(db, actor.merchantId, input.code, null, ({ code, hash, lookup }) =>
    db.transaction().execute(async (trx) => {
      const row = await insertCashier(trx, actor.merchantId, {
        name: input.name,
        role: input.role,
        storeId: input.storeId,
        codeHash: hash,
        codeLookup: lookup,
      });
      const view = cashierView(row);
      await writeAudit(trx, actor, {
        action: 'cashier.create',
        entity: 'cashier',
        entityId: row.id,
        after: view,
      });
      return { ...view, code };
    }),
  );
}

/** Changes an active cashier's name, role or store. */
export function changeCashier(
  db: Db,
  actor: Actor,
  id: string,
  changes: { name?: string | undefined; role?: CashierRole | undefined; storeId?: string | null | undefined },
) {
  return db.transaction().execute(async (trx) => {
    const before = await lockActiveCashier(trx, actor.merchantId, id);
    if (!before) throw notFound('Кассир');
    if (changes.storeId !== undefined) await requireActiveStore(trx, actor.merchantId, changes.storeId);
    const after = await updateCashier(trx, actor.merchantId, id, {
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.role === undefined ? {} : { role: changes.role }),
      ...(changes.storeId === undefined ? {} : { storeId: changes.storeId }),
    });
    const view = cashierView(after);
    await writeAudit(trx, actor, {
      action: 'cashier.update',
      entity: 'cashier',
      entityId: id,
      before: cashierView(before),
      after: view,
    });
    return view;
  });
}

/** Gives an active cashier a new access code and returns it, shown this once. */
export async function resetCashierCode(db: Db, actor: Actor, id: string, given: string | undefined) {
  // Answer 404 for a wrong id before any code is checked, so the answer never hints at codes.
  const current = await findCashier(db, actor.merchantId, id);
  if (!current || current.archived_at !== null) throw notFound('Кассир');
  return withFreeCode(db, actor.merchantId, given, id, ({ code, hash, lookup }) =>
    db.transaction().execute(async (trx) => {
      if (!(await lockActiveCashier(trx, actor.merchantId, id))) throw notFound('Кассир');
      const row = await updateCashier(trx, actor.merchantId, id, { code: { hash, lookup } });
      await writeAudit(trx, actor, { action: 'cashier.reset_code', entity: 'cashier', entityId: id });
      return { ...cashierView(row), code };
    }),
  );
}

/** Archives an active cashier; its code stays reserved, so it never comes back to someone else. */
export function archiveCashier(db: Db, actor: Actor, id: string) {
  return db.transaction().execute(async (trx) => {
    const before = await lockActiveCashier(trx, actor.merchantId, id);
    if (!before) throw notFound('Кассир');
    const after = await updateCashier(trx, actor.merchantId, id, { archivedAt: new Date() });
    await writeAudit(trx, actor, {
      action: 'cashier.archive',
      entity: 'cashier',
      entityId: id,
      before: cashierView(before),
      after: cashierView(after),
    });
  });
}

// Changes to stores: each runs in one transaction with its audit entry (C10).
import type { z } from 'zod';
import type { storeAttributesInputSchema } from '@loyalty/protocol/api/stores.schema';
import type { Actor } from '#auth/actor.ts';
import { writeAudit } from '#audit/audit.repository.ts';
import type { Db } from '#db/database.ts';
import { notFound } from '#http/api-error.ts';
import { insertStore, lockActiveStore, storeView, updateStore } from './stores.repository.ts';

type AttributesInput = z.output<typeof storeAttributesInputSchema>;

// An empty value means "not set": a cleared form field must not store "" as a city.
function cleanAttributes(input: AttributesInput): Record<string, string> {
  return Object.fromEntries(
    Object.entries(input).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
    ),
  );
}

/** Creates a store of the actor's merchant. */
export function createStore(
  db: Db,
  actor: Actor,
  input: { name: string; address: string; attributes: AttributesInput },
) {
  return db.transaction().execute(async (trx) => {
    const row = await insertStore(trx, actor.merchantId, {
      ...input,
      attributes: cleanAttributes(input.attributes),
    });
    const view = storeView(row);
    await writeAudit(trx, actor, { action: 'store.create', entity: 'store', entityId: row.id, after: view });
    return view;
  });
}

/** Changes an active store; `attributes` replaces the whole set. */
export function changeStore(
  db: Db,
  actor: Actor,
  id: string,
  changes: {
    name?: string | undefined;
    address?: string | undefined;
    attributes?: AttributesInput | undefined;
  },
) {
  return db.transaction().execute(async (trx) => {
    const before = await lockActiveStore(trx, actor.merchantId, id);
    if (!before) throw notFound('Магазин');
    const after = await updateStore(trx, actor.merchantId, id, {
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.address === undefined ? {} : { address: changes.address }),
      ...(changes.attributes === undefined ? {} : { attributes: cleanAttributes(changes.attributes) }),
    });
    const view = storeView(after);
    await writeAudit(trx, actor, {
      action: 'store.update',
      entity: 'store',
      entityId: id,
      before: storeView(before),
      after: view,
    });
    return view;
  });
}

/** Archives an active store; its history and cashiers stay. */
export function archiveStore(db: Db, actor: Actor, id: string) {
  return db.transaction().execute(async (trx) => {
    const before = await lockActiveStore(trx, actor.merchantId, id);
    if (!before) throw notFound('Магазин');
    const after = await updateStore(trx, actor.merchantId, id, { archivedAt: new Date() });
    await writeAudit(trx, actor, {
      action: 'store.archive',
      entity: 'store',
      entityId: id,
      before: storeView(before),
      after: storeView(after),
    });
  });
}

// The audit log (C10): who changed which setting or balance, with the values before and after.
import type { Db } from '#db/database.ts';
import type { Transaction } from 'kysely';
import type { Database } from '#db/database-schema.ts';
import type { Actor } from '#auth/actor.ts';

/** Appends one audit entry, inside the caller's transaction when given one. */
export async function writeAudit(
  db: Db | Transaction<Database>,
  actor: Actor,
  entry: { action: string; entity: string; entityId: string | null; before?: unknown; after?: unknown },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      merchant_id: actor.merchantId,
      actor_type: actor.kind,
      actor_id: actor.id,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

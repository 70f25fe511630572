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

/** The columns the audit list and its export read. */
export const auditColumns = [
  'id',
  'actor_type',
  'actor_id',
  'action',
  'entity',
  'entity_id',
  'before',
  'after',
  'created_at',
] as const;

/** The list's filters (GET /audit-log and its export). */
export type AuditFilter = {
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  actorType?: 'user' | 'api_key' | 'system' | undefined;
  actorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

/** The merchant's audit entries that match the filters; the caller selects, orders and pages. */
export function auditQuery(db: Db, merchantId: string, q: AuditFilter) {
  let query = db.selectFrom('audit_log').where('merchant_id', '=', merchantId);
  if (q.entity) query = query.where('entity', '=', q.entity);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  // A prefix match on the action: `%` and `_` in the text are taken literally.
  if (q.action) query = query.where('action', 'like', `${q.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (q.actorType) query = query.where('actor_type', '=', q.actorType);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.from) query = query.where('created_at', '>=', new Date(q.from));
  if (q.to) query = query.where('created_at', '<', new Date(q.to));
  return query;
}

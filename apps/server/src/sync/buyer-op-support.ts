// What the buyer ops of the push (update, consent) share: the real id behind a merged
// registration's alias, and the audit entry naming the terminal that sent the op.
import type { Transaction } from 'kysely';
import type { Database } from '#db/database-schema.ts';
import type { TerminalActor } from './terminal-auth.ts';

type Trx = Transaction<Database>;

/** A registration merged at sync: later ops naming the terminal's id apply to the real buyer. */
export async function aliasedBuyerId(trx: Trx, merchantId: string, id: string): Promise<string> {
  const alias = await trx
    .selectFrom('buyer_aliases')
    .select('buyer_id')
    .where('merchant_id', '=', merchantId)
    .where('alias_id', '=', id)
    .executeTakeFirst();
  return alias?.buyer_id ?? id;
}

/**
 * An audit entry for a change a till made. The audit log's actor types are people, API keys and
 * the system; a terminal acts as the system, and its id is kept in actor_id so the entry says
 * which till it was.
 */
export async function auditTerminalChange(
  trx: Trx,
  terminal: TerminalActor,
  entry: { action: string; entityId: string; before: unknown; after: unknown },
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      merchant_id: terminal.merchantId,
      actor_type: 'system',
      actor_id: `terminal:${terminal.terminalId}`,
      action: entry.action,
      entity: 'buyer',
      entity_id: entry.entityId,
      before: JSON.stringify(entry.before),
      after: JSON.stringify(entry.after),
    })
    .execute();
}

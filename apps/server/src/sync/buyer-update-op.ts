// The `buyer_update` op (A4): personal data the cashier edited at a till. Conflict rule: field
// level, last writer by application order. Only the fields the op names are written, so two tills
// changing different fields both keep their change; for the same field the op the server applies
// later wins. Application order is each terminal's sequence order (the push applies ops strictly
// by seq) and, between terminals and the cabinet, the order the server commits them; device clocks
// (`occurredAt`) never decide. Idempotent through the push's op log (an op id applies once); every
// applied change is audited with the fields' values before and after.
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { buyerUpdatePayloadSchema } from '@loyalty/protocol/sync/push.schema';
import { normalizePhone } from '@loyalty/core/phones/phone-number';
import type { Database } from '#db/database-schema.ts';
import { aliasedBuyerId, auditTerminalChange } from './buyer-op-support.ts';
import { DeadLetterReason, refuse, type OpOutcome } from './op-result.ts';
import type { TerminalActor } from './terminal-auth.ts';

const columnOf = {
  phone: 'phone',
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  middleName: 'middle_name',
  gender: 'gender',
  birthDate: 'birth_date',
  tags: 'tags',
} as const;

/** Writes the named fields of the buyer; a phone another buyer holds is a dead letter. */
export async function applyBuyerUpdate(
  trx: Transaction<Database>,
  terminal: TerminalActor,
  payload: z.output<typeof buyerUpdatePayloadSchema>,
): Promise<OpOutcome> {
  const merchantId = terminal.merchantId;
  const buyerId = await aliasedBuyerId(trx, merchantId, payload.buyerId);
  const row = await trx
    .selectFrom('buyers')
    .select([
      'id',
      'answers',
      'phone',
      'email',
      'first_name',
      'last_name',
      'middle_name',
      'gender',
      'birth_date',
      'tags',
    ])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', buyerId)
    .where('erased_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return refuse(DeadLetterReason.buyerNotFound, 'Покупатель не найден', { buyerId });
  const c = payload.changes;
  let phone: string | null | undefined = c.phone;
  if (typeof c.phone === 'string') {
    const normalised = normalizePhone(c.phone);
    if (!normalised.ok) return refuse(DeadLetterReason.phoneInvalid, normalised.error.message);
    phone = normalised.value;
    const holder = await trx
      .selectFrom('buyers')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('phone', '=', phone)
      .where('id', '<>', buyerId)
      .executeTakeFirst();
    if (holder) return refuse(DeadLetterReason.phoneTaken, 'Телефон уже принадлежит другому покупателю');
  }
  const answers = { ...row.answers };
  for (const [key, value] of Object.entries(c.answers ?? {}))
    if (value === null) delete answers[key];
    else answers[key] = value;
  const values = { ...c, ...(phone === undefined ? {} : { phone }) };
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(columnOf)) {
    const value = values[field as keyof typeof columnOf];
    if (value === undefined) continue;
    const old = row[column];
    before[field] = old instanceof Date ? old.toISOString().slice(0, 10) : old;
    after[field] = value;
  }
  if (c.answers !== undefined) {
    before.answers = row.answers;
    after.answers = answers;
  }
  await trx
    .updateTable('buyers')
    .set({
      ...(phone === undefined ? {} : { phone }),
      ...(c.email === undefined ? {} : { email: c.email }),
      ...(c.firstName === undefined ? {} : { first_name: c.firstName }),
      ...(c.lastName === undefined ? {} : { last_name: c.lastName }),
      ...(c.middleName === undefined ? {} : { middle_name: c.middleName }),
      ...(c.gender === undefined ? {} : { gender: c.gender }),
      ...(c.birthDate === undefined ? {} : { birth_date: c.birthDate }),
      ...(c.tags === undefined ? {} : { tags: c.tags }),
      ...(c.answers === undefined ? {} : { answers: JSON.stringify(answers) }),
      updated_at: new Date(),
    })
    .where('id', '=', buyerId)
    .execute();
  await auditTerminalChange(trx, terminal, { action: 'buyer.update', entityId: buyerId, before, after });
  return { ok: true, answer: { buyerId } };
}

// The mail outbox: a message is a row written in the same transaction as what it announces, so a
// rolled-back change never mails anybody. Delivery is a transport's job (none is configured yet):
// until then the server logs each queued message, and tests and the e2e read the table.
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '#db/database.ts';

export type OutgoingMail = {
  merchantId: string | null;
  recipient: string;
  subject: string;
  body: string;
  /** What the message is for, e.g. `password_reset`. */
  kind: string;
};

/** Queues one message and answers its id. */
export async function queueMail(db: Db, mail: OutgoingMail): Promise<string> {
  const row = await db
    .insertInto('mail_outbox')
    .values({
      merchant_id: mail.merchantId,
      recipient: mail.recipient,
      subject: mail.subject,
      body: mail.body,
      kind: mail.kind,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The development stand-in for a transport: one log line per queued message. The body carries a
 * secret link, so it is logged only outside production.
 */
export function logQueuedMail(log: FastifyBaseLogger, id: string, mail: OutgoingMail): void {
  const production = process.env.NODE_ENV === 'production';
  log.info(
    { mailId: id, kind: mail.kind, ...(production ? {} : { recipient: mail.recipient, body: mail.body }) },
    'mail queued in mail_outbox (no mail transport configured)',
  );
}

// Self-service password reset (C10): "forgot password" mails a single-use link that expires in an
// hour; the token is stored as SHA-256 only. The answer never says whether the e-mail exists.
import type { Db } from '#db/database.ts';
import { hashSecret, newToken, tokenHash } from './secrets.ts';
import { queueMail, type OutgoingMail } from './mail-outbox.repository.ts';
import { findUserByEmail } from './user.repository.ts';

export const SELF_RESET_TTL_MS = 60 * 60 * 1000;
/** Links per user within RESET_WINDOW_MS: enough for a lost mail, too few to flood a mailbox. */
export const MAX_RESETS_PER_USER = 3;
export const RESET_WINDOW_MS = 15 * 60 * 1000;

/** The cabinet address a link opens; relative when the server does not know its public address. */
export function resetLink(publicUrl: string | undefined, token: string): string {
  const path = `/reset-password?token=${encodeURIComponent(token)}`;
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}${path}` : path;
}

/**
 * Queues a reset link for an active user with this e-mail; does nothing (silently) for an unknown
 * or disabled one, or past the per-user limit. Earlier unused links of the user stop working.
 */
export async function requestPasswordReset(
  db: Db,
  email: string,
  publicUrl: string | undefined,
  now: Date,
): Promise<{ id: string; mail: OutgoingMail } | null> {
  const user = await findUserByEmail(db, email);
  if (!user || user.disabled_at !== null) return null;
  return db.transaction().execute(async (trx) => {
    // Serialises parallel requests for one user, so the limit below holds.
    await trx.selectFrom('users').select('id').where('id', '=', user.id).forUpdate().executeTakeFirst();
    const recent = await trx
      .selectFrom('password_resets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', user.id)
      .where('created_at', '>', new Date(now.getTime() - RESET_WINDOW_MS))
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= MAX_RESETS_PER_USER) return null;
    await trx
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('user_id', '=', user.id)
      .where('used_at', 'is', null)
      .execute();
    const token = newToken();
    await trx
      .insertInto('password_resets')
      .values({
        token_hash: tokenHash(token),
        user_id: user.id,
        expires_at: new Date(now.getTime() + SELF_RESET_TTL_MS),
        created_at: now,
      })
      .execute();
    const merchant = await trx
      .selectFrom('merchants')
      .select('name')
      .where('id', '=', user.merchant_id)
      .executeTakeFirstOrThrow();
    const link = resetLink(publicUrl, token);
    const mail: OutgoingMail = {
      merchantId: user.merchant_id,
      recipient: user.email,
      subject: 'Восстановление пароля в кабинете программы лояльности',
      kind: 'password_reset',
      body: [
        'Здравствуйте!',
        '',
        `Чтобы задать новый пароль в кабинете «${merchant.name}», откройте ссылку:`,
        link,
        '',
        'Ссылка действует один час и только один раз.',
        'Если вы не просили восстановить пароль, ничего не делайте: пароль останется прежним.',
      ].join('\n'),
    };
    return { id: await queueMail(trx, mail), mail };
  });
}

/**
 * Sets a new password by a reset token: the token must be unused and unexpired, and is spent;
 * every session of the user ends. Answers the user's id, or null for a bad token.
 */
export async function resetPassword(
  db: Db,
  token: string,
  newPassword: string,
  now: Date,
): Promise<string | null> {
  const hash = tokenHash(token);
  const passwordHash = await hashSecret(newPassword);
  return db.transaction().execute(async (trx) => {
    const reset = await trx
      .selectFrom('password_resets')
      .innerJoin('users', 'users.id', 'password_resets.user_id')
      .select(['password_resets.user_id'])
      .where('password_resets.token_hash', '=', hash)
      .where('password_resets.used_at', 'is', null)
      .where('password_resets.expires_at', '>', now)
      .where('users.disabled_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!reset) return null;
    await trx.updateTable('password_resets').set({ used_at: now }).where('token_hash', '=', hash).execute();
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('id', '=', reset.user_id)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', reset.user_id).execute();
    return reset.user_id;
  });
}

// Who may be named as a referrer (C8). In the 'anyone' mode any buyer of the merchant may bring
// others. In 'invite_only' only buyers the merchant has allowed to (`can_invite`) may, as in the
// seed's "Приводить друзей может ограниченный круг лиц": trainers bringing clients from the gym,
// a teacher recommending the shop to pupils. The same rule decides who earns referral rewards.
import type { Transaction } from 'kysely';
import type { Result } from '@loyalty/core/shared/result';
import { err, ok } from '@loyalty/core/shared/result';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { storedSettingsFor, type StoredSettings } from '#programme/rules-snapshot.ts';

type Executor = Db | Transaction<Database>;

/** The programme's referral mode. */
export type ReferralMode = StoredSettings['referral']['mode'];

/** Codes of the expected referral failures. */
export const REFERRAL_PROBLEM_CODES = {
  referrerCannotInvite: 'referrer_cannot_invite',
} as const;

/** The referrer is not allowed to bring buyers while the programme is invite-only. */
export type ReferrerCannotInvite = {
  readonly code: typeof REFERRAL_PROBLEM_CODES.referrerCannotInvite;
  readonly message: string;
  readonly details: { readonly referrerId: string };
};

/** The merchant's referral mode: 'anyone' without a programme or for settings stored before the mode. */
export async function referralModeFor(db: Db, merchantId: string): Promise<ReferralMode> {
  const settings = await storedSettingsFor(db, merchantId);
  return settings?.referral?.mode ?? 'anyone';
}

/** True when the mode lets this buyer bring others (and earn for it). */
export const mayInvite = (mode: ReferralMode, canInvite: boolean): boolean => mode === 'anyone' || canInvite;

/** Whether `referrerId`, an existing buyer of the merchant, may be named as a referrer under `mode`. */
export async function checkReferrer(
  executor: Executor,
  merchantId: string,
  referrerId: string,
  mode: ReferralMode,
): Promise<Result<null, ReferrerCannotInvite>> {
  if (mode === 'anyone') return ok(null);
  const row = await executor
    .selectFrom('buyers')
    .select('can_invite')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', referrerId)
    .executeTakeFirst();
  if (row && mayInvite(mode, row.can_invite)) return ok(null);
  return err({
    code: REFERRAL_PROBLEM_CODES.referrerCannotInvite,
    message:
      'Программа работает по приглашениям: этот покупатель не может приглашать. Разрешите ему приглашать в карточке покупателя.',
    details: { referrerId },
  });
}

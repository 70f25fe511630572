// Offline redemption limits (SYNC.md "Offline redemption limits", A8): while the server cannot be
// asked, points may be spent only within the merchant's bounds, so the worst-case overspend across
// the merchant stays terminals x maxPointsPerTerminalSinceSync. Pure: the caller passes the facts.
import type { SyncOfflineLimits } from '@loyalty/protocol/sync/pull.schema';
import { formatMinor } from '@loyalty/core/money/money';

/** Why offline redemption is refused or capped. */
export const OfflineLimitReason = {
  noSettings: 'no_settings',
  neverSynced: 'never_synced',
  clockSkew: 'clock_skew',
  offlineTooLong: 'offline_too_long',
  snapshotTooOld: 'snapshot_too_old',
  perReceipt: 'per_receipt',
  perBuyerPerDay: 'per_buyer_per_day',
  perTerminalSinceSync: 'per_terminal_since_sync',
} as const;
export type OfflineLimitReason = (typeof OfflineLimitReason)[keyof typeof OfflineLimitReason];

/** What the limits leave: the most points payable and, when something binds, why. */
export type OfflineAllowance = {
  /** Points (hundredths) this receipt may spend offline at most. */
  readonly maxPoints: number;
  readonly reason: { readonly code: OfflineLimitReason; readonly message: string } | null;
};

/** The facts the limits are checked against. */
export type OfflineFacts = {
  readonly limits: SyncOfflineLimits | null;
  /** Device time now, and of the last full sync (null: never). */
  readonly deviceNow: number;
  readonly lastSyncAt: number | null;
  readonly clockOffsetMs: number;
  /** Corrected time now, and server time the buyer's snapshot is known good at. */
  readonly now: number;
  readonly snapshotAt: number;
  /** Points this buyer already spent offline here today (merchant's local day). */
  readonly buyerSpentToday: number;
  /** Points spent offline here in ops the server has not answered yet. */
  readonly terminalUnacknowledged: number;
};

const HOUR = 3_600_000;
const points = (value: number): string => formatMinor(Math.max(0, value));
const hours = (ms: number): string => String(Math.floor(ms / HOUR));

/** Applies every limit; the tightest one wins and names the reason. */
export function offlineAllowance(facts: OfflineFacts): OfflineAllowance {
  const refuse = (code: OfflineLimitReason, message: string): OfflineAllowance => ({
    maxPoints: 0,
    reason: { code, message },
  });
  const { limits } = facts;
  if (!limits)
    return refuse(
      OfflineLimitReason.noSettings,
      'Оплата баллами без связи недоступна: терминал ещё не получил настройки с сервера.',
    );
  if (facts.lastSyncAt === null)
    return refuse(
      OfflineLimitReason.neverSynced,
      'Оплата баллами без связи недоступна: терминал ещё ни разу не синхронизировался с сервером.',
    );
  const skewMinutes = Math.abs(facts.clockOffsetMs) / 60_000;
  if (skewMinutes > limits.maxClockSkewMinutes)
    return refuse(
      OfflineLimitReason.clockSkew,
      `Оплата баллами без связи недоступна: часы терминала расходятся с сервером на ${Math.round(skewMinutes)} мин ` +
        `(допустимо ${limits.maxClockSkewMinutes}). Исправьте время на компьютере.`,
    );
  const offlineFor = facts.deviceNow - facts.lastSyncAt;
  if (offlineFor > limits.maxOfflineHours * HOUR)
    return refuse(
      OfflineLimitReason.offlineTooLong,
      `Оплата баллами без связи недоступна: терминал без связи с сервером ${hours(offlineFor)} ч ` +
        `(допустимо ${limits.maxOfflineHours} ч). Восстановите подключение к интернету.`,
    );
  const snapshotAge = facts.now - facts.snapshotAt;
  if (snapshotAge > limits.maxSnapshotAgeHours * HOUR)
    return refuse(
      OfflineLimitReason.snapshotTooOld,
      `Оплата баллами без связи недоступна: баланс покупателя на терминале устарел (${hours(snapshotAge)} ч, ` +
        `допустимо ${limits.maxSnapshotAgeHours} ч).`,
    );

  let allowance: OfflineAllowance = { maxPoints: Number.MAX_SAFE_INTEGER, reason: null };
  const cap = (value: number, code: OfflineLimitReason, message: string) => {
    const bounded = Math.max(0, value);
    if (bounded < allowance.maxPoints) allowance = { maxPoints: bounded, reason: { code, message } };
  };
  if (limits.maxPointsPerReceipt !== null)
    cap(
      limits.maxPointsPerReceipt,
      OfflineLimitReason.perReceipt,
      `Без связи с сервером можно оплатить баллами не больше ${points(limits.maxPointsPerReceipt)} за чек.`,
    );
  if (limits.maxPointsPerBuyerPerDay !== null) {
    const left = limits.maxPointsPerBuyerPerDay - facts.buyerSpentToday;
    cap(
      left,
      OfflineLimitReason.perBuyerPerDay,
      `Без связи с сервером покупатель может оплатить баллами не больше ${points(limits.maxPointsPerBuyerPerDay)} в день; ` +
        `сегодня осталось ${points(left)}.`,
    );
  }
  if (limits.maxPointsPerTerminalSinceSync !== null) {
    const left = limits.maxPointsPerTerminalSinceSync - facts.terminalUnacknowledged;
    cap(
      left,
      OfflineLimitReason.perTerminalSinceSync,
      `Без связи с сервером терминал может принять к оплате не больше ${points(limits.maxPointsPerTerminalSinceSync)} баллов ` +
        `до синхронизации; осталось ${points(left)}.`,
    );
  }
  return allowance;
}

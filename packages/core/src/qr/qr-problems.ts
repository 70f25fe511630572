// Why a terminal refuses a buyer QR, as stable codes with Russian messages for the cashier. Each
// message says what to do next, since the buyer is standing at the till.
import type { Problem } from '#shared/result.ts';

/** Codes of the expected QR failures; they travel over IPC and into logs. */
export const QR_PROBLEM_CODES = {
  malformed: 'malformed',
  unsupportedVersion: 'unsupported_version',
  wrongMerchant: 'wrong_merchant',
  badServerSignature: 'bad_server_signature',
  certificateExpired: 'certificate_expired',
  badPhoneSignature: 'bad_phone_signature',
  staleWindow: 'stale_window',
  futureWindow: 'future_window',
  replayed: 'replayed',
} as const;

/** One of the QR failure codes. */
export type QrProblemCode = (typeof QR_PROBLEM_CODES)[keyof typeof QR_PROBLEM_CODES];

/** A refused QR; structurally a `Problem`. */
export type QrProblem = Problem & { readonly code: QrProblemCode };

const MESSAGES: Record<QrProblemCode, string> = {
  malformed:
    'Это не QR-код покупателя, или он считан не полностью. Попросите покупателя показать код ещё раз.',
  unsupported_version:
    'QR-код сделан новой версией приложения, которую касса пока не понимает. Найдите покупателя по телефону или карте и обновите кассу.',
  wrong_merchant: 'QR-код выпущен другой программой лояльности, не нашей.',
  bad_server_signature:
    'QR-код не подписан нашим сервером: возможно, это подделка. Найдите покупателя по телефону или карте.',
  certificate_expired:
    'Срок действия QR-кода в телефоне покупателя истёк. Пусть покупатель откроет приложение с интернетом, чтобы код обновился, или найдите его по телефону.',
  bad_phone_signature:
    'QR-код подписан не телефоном покупателя: возможно, это подделка. Найдите покупателя по телефону или карте.',
  stale_window:
    'QR-код устарел: это старый снимок экрана или часы телефона отстают. Попросите покупателя показать код заново.',
  future_window:
    'QR-код из будущего: часы на телефоне покупателя спешат (или отстают часы кассы). Попросите покупателя проверить время на телефоне.',
  replayed:
    'Этот QR-код уже считан на этой кассе. Попросите покупателя показать новый код: он меняется каждые 30 секунд.',
};

/** The problem for a code, with its cashier-facing message. */
export function qrProblem(code: QrProblemCode, details?: unknown): QrProblem {
  return details === undefined
    ? { code, message: MESSAGES[code] }
    : { code, message: MESSAGES[code], details };
}

// Expected failures of the terminal core, as values (STYLE rule 7). Every message is for the
// cashier or the integrator's support person: Russian, and it says what to do next.
import { err, type Err, type Problem, type Result } from '@loyalty/core/shared/result';

/** Codes a handler can answer with besides `invalid_input` (engine codes pass through as they are). */
export const TerminalError = {
  invalidInput: 'invalid_input',
  unknownHandler: 'unknown_handler',
  notPaired: 'not_paired',
  alreadyPaired: 'already_paired',
  pendingOpsOfOtherTerminal: 'pending_ops_of_other_terminal',
  terminalRevoked: 'terminal_revoked',
  terminalUnauthorized: 'terminal_unauthorized',
  serverUnreachable: 'server_unreachable',
  serverError: 'server_error',
  pairingRefused: 'pairing_refused',
  notLoggedIn: 'not_logged_in',
  wrongAccessCode: 'wrong_access_code',
  loginLocked: 'login_locked',
  noCashiers: 'no_cashiers',
  rulesMissing: 'rules_missing',
  productNotFound: 'product_not_found',
  buyerNotFound: 'buyer_not_found',
  phoneInvalid: 'phone_invalid',
  qrInvalid: 'qr_invalid',
  qrUnavailable: 'qr_unavailable',
  offlineRedemptionRefused: 'offline_redemption_refused',
  pointsNotAllowed: 'points_not_allowed',
  holdRefused: 'hold_refused',
  calculationChanged: 'calculation_changed',
  receiptNotFound: 'receipt_not_found',
  returnRefused: 'return_refused',
  seniorRequired: 'senior_required',
  idempotencyConflict: 'idempotency_conflict',
} as const;
export type TerminalError = (typeof TerminalError)[keyof typeof TerminalError];

/** A handler's answer: the value, or a problem as plain data. */
export type HandlerResult<T> = Result<T, Problem>;

/** An expected failure with its Russian message. */
export function fail(code: TerminalError | (string & {}), message: string, details?: unknown): Err<Problem> {
  return err(details === undefined ? { code, message } : { code, message, details });
}

/** The "pair the terminal first" failure, shared by everything that needs a server identity. */
export const notPaired = (): Err<Problem> =>
  fail(
    TerminalError.notPaired,
    'Терминал не подключён к серверу: введите код подключения из кабинета (Настройки → Терминалы).',
  );

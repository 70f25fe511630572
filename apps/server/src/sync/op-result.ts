// What applying one op can come to besides success: a dead letter with its reason. Expected
// failures are values; only bugs and lost connections throw.

/** Reasons an op is dead-lettered (also shown in the cabinet). */
export const DeadLetterReason = {
  invalidPayload: 'invalid_payload',
  unknownKind: 'unknown_kind',
  storeNotFound: 'store_not_found',
  buyerNotFound: 'buyer_not_found',
  receiptNotFound: 'receipt_not_found',
  returnExceedsReceipt: 'return_exceeds_receipt',
  returnInvalid: 'return_invalid',
  phoneInvalid: 'phone_invalid',
  phoneTaken: 'phone_taken',
  cardUnavailable: 'card_unavailable',
  programmeNotConfigured: 'programme_not_configured',
  applyFailed: 'apply_failed',
} as const;

/** The outcome of applying one op's payload. */
export type OpOutcome =
  { ok: true; answer: unknown } | { ok: false; reason: string; message: string; details?: unknown };

/** A dead-letter outcome. */
export const refuse = (reason: string, message: string, details?: unknown): OpOutcome => ({
  ok: false,
  reason,
  message,
  details,
});

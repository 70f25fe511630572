// The server's HTTP side of phone numbers: normalisation itself is shared with the terminal in
// @loyalty/core/phones/phone-number, so the till and the server always agree on a buyer's phone.
import { normalizePhone, PHONE_INVALID } from '@loyalty/core/phones/phone-number';
import { badRequest } from '#http/api-error.ts';

/** The E.164 form of a phone the caller sent, or a 400 naming the request field `path`. */
export function phoneOrRefuse(text: string, path: string): string {
  const phone = normalizePhone(text);
  if (phone.ok) return phone.value;
  throw badRequest(PHONE_INVALID, phone.error.message, {
    issues: [{ path, code: PHONE_INVALID, message: phone.error.message }],
  });
}

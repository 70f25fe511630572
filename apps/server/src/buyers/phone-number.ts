// Phone numbers are stored in E.164 so "8 912 345-67-89" and "+7 (912) 345 67 89" are one buyer.
// libphonenumber-js's mobile metadata is used: its default build accepts numbers with a digit
// missing, the mobile one checks real mobile ranges (buyers register by SMS code).
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { err, ok, type Result } from '@loyalty/core/shared/result';
import { badRequest } from '#http/api-error.ts';

export const PHONE_INVALID = 'phone_invalid';

/**
 * The E.164 form of a mobile number. A number without a country code is read as Russian
 * (8 912 ... and 912 ... both work); other countries need their +code.
 */
export function normalizePhone(input: string): Result<string> {
  const trimmed = input.trim();
  // "7 912 ..." without the plus is how many people write the Russian country code.
  const withPlus = /^7\d{10}$/.test(trimmed.replace(/[\s\-().]/g, '')) ? `+${trimmed}` : trimmed;
  const parsed = parsePhoneNumberFromString(withPlus, 'RU');
  if (parsed?.isValid()) return ok(parsed.number);
  return err({
    code: PHONE_INVALID,
    message: 'Неверный номер мобильного телефона: проверьте цифры, например +7 912 345-67-89',
    details: { value: input },
  });
}

/** The E.164 form of a phone the caller sent, or a 400 naming the request field `path`. */
export function phoneOrRefuse(text: string, path: string): string {
  const phone = normalizePhone(text);
  if (phone.ok) return phone.value;
  throw badRequest(PHONE_INVALID, phone.error.message, {
    issues: [{ path, code: PHONE_INVALID, message: phone.error.message }],
  });
}

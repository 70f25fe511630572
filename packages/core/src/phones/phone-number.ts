// Phones are stored and matched in E.164, so "8 912 345-67-89" at the till and "+7 (912) 345 67 89"
// in the cabinet are one buyer. One implementation for the server and the terminal: two copies
// would drift, and a buyer found by phone at the till must be the one the server finds.
// libphonenumber-js's mobile metadata is used: its default build accepts numbers with a digit
// missing, the mobile one checks real mobile ranges (buyers register by SMS code).
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { err, ok, type Problem, type Result } from '#shared/result.ts';

/** The error code of a phone that is not a valid mobile number. */
export const PHONE_INVALID = 'phone_invalid';

/**
 * The E.164 form of a mobile number. A number without a country code is read as Russian
 * (8 912 ... and 912 ... both work); other countries need their +code.
 */
export function normalizePhone(input: string): Result<string, Problem> {
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

/** A phone for a slip or a screen, the last four digits shown: +7 *** ***-67-89. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  // The country code from the metadata: not every country has ten national digits (+375 has nine).
  const country = parsePhoneNumberFromString(phone)?.countryCallingCode ?? phone.slice(1, phone.length - 10);
  return `+${country} *** ***-${phone.slice(-4, -2)}-${phone.slice(-2)}`;
}

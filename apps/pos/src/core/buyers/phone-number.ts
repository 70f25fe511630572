// Phones are matched in E.164, normalised exactly as the server does (apps/server
// buyers/phone-number.ts), so "8 912 345-67-89" at the till finds the buyer the cabinet stored as
// +79123456789. The mobile metadata refuses numbers with a digit missing.
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { err, ok, type Problem, type Result } from '@loyalty/core/shared/result';
import { TerminalError } from '#core/shared/terminal-error.ts';

/** The E.164 form of a mobile number; a number without a country code is read as Russian. */
export function normalizePhone(input: string): Result<string, Problem> {
  const trimmed = input.trim();
  // "7 912 ..." without the plus is how many people write the Russian country code.
  const withPlus = /^7\d{10}$/.test(trimmed.replace(/[\s\-().]/g, '')) ? `+${trimmed}` : trimmed;
  const parsed = parsePhoneNumberFromString(withPlus, 'RU');
  if (parsed?.isValid()) return ok(parsed.number);
  return err({
    code: TerminalError.phoneInvalid,
    message: 'Неверный номер мобильного телефона: проверьте цифры, например +7 912 345-67-89',
    details: { value: input },
  });
}

/** A phone for the slip and the screen: +7 *** ***-67-89. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  return `${phone.slice(0, phone.length - 10)} *** ***-${phone.slice(-4, -2)}-${phone.slice(-2)}`;
}

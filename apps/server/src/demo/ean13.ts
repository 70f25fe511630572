// EAN-13 barcodes: twelve digits and a check digit. Scanners refuse a code whose check digit is
// wrong, so demo products must carry valid ones to be scannable at a real till.

/** The check digit for the first twelve digits of an EAN-13. */
export function ean13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new RangeError(`EAN-13 needs 12 digits, got "${first12}"`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** The full 13-digit code for twelve digits. */
export const ean13 = (first12: string): string => `${first12}${ean13CheckDigit(first12)}`;

/** True for thirteen digits whose last one is the right check digit. */
export const isValidEan13 = (code: string): boolean =>
  /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);

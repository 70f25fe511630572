// Russian plural forms: 1 ошибка, 2 ошибки, 5 ошибок, 21 ошибка, 11 ошибок.

/** Picks the form for `n`: [one, few, many]. */
export function pluralRu(n: number, forms: readonly [string, string, string]): string {
  const abs = Math.abs(n) % 100;
  const last = abs % 10;
  if (abs > 10 && abs < 20) return forms[2];
  if (last === 1) return forms[0];
  if (last >= 2 && last <= 4) return forms[1];
  return forms[2];
}

/** "3 ошибки". */
export const countErrors = (n: number): string => `${n} ${pluralRu(n, ['ошибка', 'ошибки', 'ошибок'])}`;

// Text helpers for a fixed-width slip: amounts as the paper shows them and two-column rows.

/** Kopecks as roubles for paper: 123456 -> "1 234,56". */
export function formatRoubles(kopecks: number): string {
  const sign = kopecks < 0 ? '-' : '';
  const abs = Math.abs(kopecks);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${whole},${String(abs % 100).padStart(2, '0')}`;
}

/** Hundredths of a point for paper: 5050 -> "50,50", 5000 -> "50". */
export function formatPoints(hundredths: number): string {
  const text = formatRoubles(hundredths);
  return text.endsWith(',00') ? text.slice(0, -3) : text;
}

/** Thousandths of a piece or kilogram: 2000 -> "2", 1250 -> "1,25". */
export function formatQuantity(thousandths: number): string {
  const whole = Math.floor(thousandths / 1000);
  const rest = String(thousandths % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return rest ? `${whole},${rest}` : String(whole);
}

// Characters a CP866 printer cannot print, spelled with ones it can. ₽ is the reason this exists:
// it is not in CP866, and paper shows "руб." instead (ARCHITECTURE, chosen libraries).
const REPLACEMENTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\s*₽/g, ' руб.'],
  [/[«»“”„]/g, '"'],
  [/[‘’]/g, "'"],
  [/[–—−]/g, '-'],
  [/…/g, '...'],
  [/[\u00a0\u2009\u202f]/g, ' '],
];

/** Text made printable in CP866. */
export function printable(text: string): string {
  return REPLACEMENTS.reduce((acc, [pattern, to]) => acc.replace(pattern, to), text);
}

// What CP866 holds besides ASCII: Cyrillic, box drawing, Ё/ё and a few signs (0x80-0xFF).
const CP866_UPPER = new Set(
  'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмноп' +
    '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
    'рстуфхцчшщъыьэюяЁёЄєЇїЎў°∙·√№¤■',
);

/**
 * The characters of `text` a CP866 printer would print as "?" even after `printable`, each once:
 * a setting's text is checked with this before it reaches paper.
 */
export function unprintableChars(text: string): string[] {
  const bad = new Set<string>();
  for (const ch of printable(text)) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code >= 0x20 && code < 0x7f) || CP866_UPPER.has(ch)) continue;
    bad.add(ch);
  }
  return [...bad];
}

/** Splits text into lines of at most `width` characters, breaking at spaces where it can. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (current) lines.push(current);
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
      current = '';
    }
    if (!current) current = rest;
    else if (current.length + 1 + rest.length <= width) current += ` ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  if (current) lines.push(current);
  return lines.length > 0 ? lines : [''];
}

/** `left` and `right` on one line of `width`, the left side cut short if both do not fit. */
export function twoColumns(left: string, right: string, width: number): string {
  const room = Math.max(0, width - right.length - 1);
  const l = left.length > room ? left.slice(0, room) : left;
  return `${l}${' '.repeat(Math.max(1, width - l.length - right.length))}${right}`;
}

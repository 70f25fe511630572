// A keyboard-wedge scanner types as a US keyboard, whatever layout the OS has active: with the
// Russian layout a scanned `Q` arrives as key='й', code='KeyQ'. So the scanned text is rebuilt
// from the physical key (`KeyboardEvent.code`) and Shift, never from `key`.

const SHIFTED_DIGITS = ')!@#$%^&*(';
const PUNCTUATION: Readonly<Record<string, readonly [string, string]>> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Backquote: ['`', '~'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Space: [' ', ' '],
  NumpadDecimal: ['.', '.'],
  NumpadAdd: ['+', '+'],
  NumpadSubtract: ['-', '-'],
  NumpadMultiply: ['*', '*'],
  NumpadDivide: ['/', '/'],
};

/** The character a US-layout key produces, or null for keys that type nothing (Enter, F1, Shift...). */
export function charForCode(code: string, shift: boolean): string | null {
  if (/^Key[A-Z]$/.test(code)) {
    const letter = code.slice(3);
    return shift ? letter : letter.toLowerCase();
  }
  const digit = /^Digit([0-9])$/.exec(code)?.[1];
  if (digit !== undefined) return shift ? (SHIFTED_DIGITS[Number(digit)] ?? null) : digit;
  const numpad = /^Numpad([0-9])$/.exec(code)?.[1];
  if (numpad !== undefined) return numpad;
  const pair = PUNCTUATION[code];
  return pair ? pair[shift ? 1 : 0] : null;
}

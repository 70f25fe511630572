// Turns ESC/POS bytes back into what the paper would show, so tests assert on text, QR payloads
// and cuts instead of byte dumps. Written independently of the encoder (its own code page table),
// and strict: an unknown command throws, so a test notices bytes a real printer would garble.

// CP866 upper half (0x80-0xFF): Cyrillic, box drawing, Ё/ё and a few signs.
const CP866_HIGH =
  'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмноп' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'рстуфхцчшщъыьэюяЁёЄєЇїЎў°∙·√№¤■\u00a0';
// CP437 upper half is not needed by our slips; its bytes show as "�" so a wrong page is visible.
const TABLES: Readonly<Record<string, (byte: number) => string>> = {
  cp866: (b) => (b < 0x80 ? String.fromCharCode(b) : (CP866_HIGH[b - 0x80] ?? '\ufffd')),
  cp437: (b) => (b < 0x80 ? String.fromCharCode(b) : '\ufffd'),
};

/** What a slip would show. */
export type DecodedSlip = {
  /** Printed lines, trailing spaces trimmed. */
  readonly lines: string[];
  readonly text: string;
  /** Payloads of the QR codes printed, in order. */
  readonly qrCodes: string[];
  /** Barcodes printed (GS k), in order. */
  readonly barcodes: string[];
  readonly cuts: number;
  /** Code page numbers selected with ESC t, in order. */
  readonly codepages: number[];
};

/** Decodes `bytes`; `codepages` maps ESC t numbers to tables (the printer's setting). */
export function decodeEscPos(
  bytes: Uint8Array,
  codepages: Readonly<Record<number, 'cp866' | 'cp437'>> = { 0: 'cp437', 17: 'cp866' },
): DecodedSlip {
  const lines: string[] = [];
  const qrCodes: string[] = [];
  const barcodes: string[] = [];
  const selected: number[] = [];
  let cuts = 0;
  let current = '';
  let table = TABLES.cp437!;
  let qrStore: Uint8Array | null = null;
  let i = 0;

  const at = (offset: number): number => {
    const value = bytes[i + offset];
    if (value === undefined) throw new Error(`ESC/POS: command cut short at byte ${i}`);
    return value;
  };
  const endLine = () => {
    lines.push(current.replace(/\s+$/, ''));
    current = '';
  };
  const unknown = (length: number) => {
    const hex = [...bytes.slice(i, i + length)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(`ESC/POS: unknown command ${hex} at byte ${i}`);
  };

  while (i < bytes.length) {
    const b = at(0);
    if (b === 0x0a) {
      endLine();
      i += 1;
    } else if (b === 0x0d) {
      i += 1;
    } else if (b === 0x1b) {
      const c = at(1);
      // ESC with no argument: @ initialise, 2 default spacing.
      if (c === 0x40) {
        table = TABLES.cp437!;
        i += 2;
      } else if (c === 0x32) i += 2;
      else if (c === 0x74) {
        const n = at(2);
        const name = codepages[n];
        if (!name)
          throw new Error(`ESC/POS: code page ${n} is not this printer's (${JSON.stringify(codepages)})`);
        table = TABLES[name]!;
        selected.push(n);
        i += 3;
      } else if (c === 0x64) {
        // ESC d n: feed n lines.
        const n = at(2);
        if (current) endLine();
        for (let k = 0; k < n; k++) lines.push('');
        i += 3;
      } else if (c === 0x2a) {
        // ESC * m nL nH: a column image, skipped.
        const m = at(2);
        const n = at(3) + at(4) * 256;
        i += 5 + n * (m <= 1 ? 1 : 3);
      } else if ([0x21, 0x2d, 0x33, 0x45, 0x47, 0x4a, 0x4d, 0x52, 0x56, 0x61, 0x72, 0x7b, 0x20].includes(c))
        // One-argument styles (print mode, underline, spacing, bold, font, alignment...).
        i += 3;
      else unknown(2);
    } else if (b === 0x1c) {
      const c = at(1);
      if (c === 0x2e || c === 0x26) i += 2;
      else if (c === 0x43) i += 3;
      else unknown(2);
    } else if (b === 0x1d) {
      const c = at(1);
      if (c === 0x56) {
        // GS V m [n]: cut; m 65/66 carry a feed amount.
        const m = at(2);
        cuts += 1;
        if (current) endLine();
        i += m === 65 || m === 66 ? 4 : 3;
      } else if (c === 0x28 && at(2) === 0x6b) {
        // GS ( k pL pH cn fn ...: 2D codes; cn 49 is QR, fn 80 stores data, fn 81 prints it.
        const length = at(3) + at(4) * 256;
        const cn = at(5);
        const fn = at(6);
        if (cn === 49 && fn === 80) qrStore = bytes.slice(i + 8, i + 5 + length);
        if (cn === 49 && fn === 81 && qrStore) qrCodes.push(new TextDecoder().decode(qrStore));
        i += 5 + length;
      } else if (c === 0x6b) {
        // GS k m ...: barcode; m < 32 is NUL-terminated, otherwise a length byte follows.
        const m = at(2);
        if (m < 32) {
          const end = bytes.indexOf(0, i + 3);
          barcodes.push(new TextDecoder().decode(bytes.slice(i + 3, end)));
          i = end + 1;
        } else {
          const n = at(3);
          barcodes.push(new TextDecoder().decode(bytes.slice(i + 4, i + 4 + n)));
          i += 4 + n;
        }
      } else if (c === 0x76 && at(2) === 0x30) {
        // GS v 0 m xL xH yL yH: a raster image, skipped.
        i += 8 + (at(4) + at(5) * 256) * (at(6) + at(7) * 256);
      } else if ([0x21, 0x42, 0x48, 0x66, 0x68, 0x77].includes(c)) i += 3;
      else if (c === 0x4c || c === 0x57) i += 4;
      else unknown(2);
    } else if (b < 0x20) {
      unknown(1);
    } else {
      current += table(b);
      i += 1;
    }
  }
  if (current) endLine();
  return { lines, text: lines.join('\n'), qrCodes, barcodes, cuts, codepages: selected };
}

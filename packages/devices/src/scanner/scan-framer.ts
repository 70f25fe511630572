// Serial scanners send a code followed by a suffix (CR, LF or CR LF), or with no suffix at all,
// in which case only a pause ends the code. Bytes arrive in arbitrary pieces, so framing is done
// on bytes (a suffix or a multibyte character may be split across reads) and decoded per code.

/** What ends a code on the wire. */
export type ScanSuffix = 'cr' | 'lf' | 'crlf' | 'none';

/** Charsets a scanner may be set to send; UTF-8 covers ASCII. */
export const scanCharsets = ['utf-8', 'windows-1251', 'ibm866'] as const;
export type ScanCharset = (typeof scanCharsets)[number];

const suffixBytes: Record<Exclude<ScanSuffix, 'none'>, readonly number[]> = {
  cr: [0x0d],
  lf: [0x0a],
  crlf: [0x0d, 0x0a],
};

/** A longer run without a suffix is line noise or a wrong setting, never a barcode. */
export const MAX_CODE_BYTES = 8192;

/** Byte framing of one serial line. `push` returns every code the chunk completed. */
export type ScanFramer = {
  push(chunk: Uint8Array): Uint8Array[];
  /** Ends the pending code (silence with suffix 'none'); null when nothing is pending. */
  flush(): Uint8Array | null;
  pending(): number;
};

function indexOfSequence(haystack: Uint8Array, needle: readonly number[], from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i += 1) {
    for (let j = 0; j < needle.length; j += 1) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A framer for `suffix`; empty codes (a bare suffix) are dropped. */
export function createScanFramer(suffix: ScanSuffix): ScanFramer {
  let buffer = new Uint8Array(0);
  const append = (chunk: Uint8Array) => {
    const joined = new Uint8Array(buffer.length + chunk.length);
    joined.set(buffer);
    joined.set(chunk, buffer.length);
    buffer = joined;
  };
  return {
    push(chunk) {
      append(chunk);
      const codes: Uint8Array[] = [];
      if (suffix !== 'none') {
        const end = suffixBytes[suffix];
        let start = 0;
        for (
          let at = indexOfSequence(buffer, end, start);
          at >= 0;
          at = indexOfSequence(buffer, end, start)
        ) {
          if (at > start) codes.push(buffer.slice(start, at));
          start = at + end.length;
        }
        buffer = buffer.slice(start);
      }
      if (buffer.length > MAX_CODE_BYTES) buffer = new Uint8Array(0);
      return codes;
    },
    flush() {
      if (buffer.length === 0) return null;
      const code = buffer;
      buffer = new Uint8Array(0);
      return code;
    },
    pending: () => buffer.length,
  };
}

/** Decodes a framed code; bytes that are not valid in `charset` become U+FFFD. */
export function decodeScan(bytes: Uint8Array, charset: ScanCharset): string {
  return new TextDecoder(charset).decode(bytes);
}

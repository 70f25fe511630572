import { describe, expect, it } from 'vitest';
import { createScanFramer, decodeScan } from './scan-framer.ts';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const texts = (codes: Uint8Array[]) => codes.map((c) => Buffer.from(c).toString('utf8'));

describe('scan framer (A10)', () => {
  it('splits on CR, keeps a partial code until its suffix arrives', () => {
    const framer = createScanFramer('cr');
    expect(texts(framer.push(bytes('4601234\r46099')))).toEqual(['4601234']);
    expect(framer.pending()).toBe(5);
    expect(texts(framer.push(bytes('99\r\r')))).toEqual(['4609999']);
    expect(framer.pending()).toBe(0);
  });

  it('CR LF split between two reads still ends one code, with no stray LF in the next', () => {
    const framer = createScanFramer('crlf');
    expect(framer.push(bytes('ABC-1\r'))).toEqual([]);
    expect(texts(framer.push(bytes('\nXYZ\r\n')))).toEqual(['ABC-1', 'XYZ']);
  });

  it('LF keeps a CR inside a code (multi-line 2D payloads)', () => {
    const framer = createScanFramer('lf');
    expect(texts(framer.push(bytes('line1\rline2\n')))).toEqual(['line1\rline2']);
  });

  it('with no suffix only flush ends a code', () => {
    const framer = createScanFramer('none');
    expect(framer.push(bytes('123'))).toEqual([]);
    expect(framer.push(bytes('456'))).toEqual([]);
    expect(texts([framer.flush() ?? new Uint8Array()])).toEqual(['123456']);
    expect(framer.flush()).toBeNull();
  });

  it('a UTF-8 character split across reads decodes whole once framed', () => {
    const framer = createScanFramer('cr');
    const all = bytes('Ж1\r');
    expect(framer.push(all.slice(0, 1))).toEqual([]);
    const [code] = framer.push(all.slice(1));
    expect(decodeScan(code ?? new Uint8Array(), 'utf-8')).toBe('Ж1');
  });

  it('decodes the scanner charsets: CP1251 and CP866 Cyrillic', () => {
    expect(decodeScan(new Uint8Array([0xcf, 0xf0, 0xe8]), 'windows-1251')).toBe('При');
    expect(decodeScan(new Uint8Array([0x8f, 0xe0, 0xa8]), 'ibm866')).toBe('При');
  });
});

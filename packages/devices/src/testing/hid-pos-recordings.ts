// Scanned data reports as a HID POS scanner sends them (64 bytes each, report id 2; hex, spaces
// every 16 bytes), for tests of the parser: what a scan of each code put on the wire.

/** Hex text -> bytes. */
export function reportBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.replaceAll(' ', ''), 'hex'));
}

/** EAN-13 4601234567893: one report, AIM `]E0`, maker code id `d`. */
export const ean13Scan = [
  '020d5d45303436303132333435363738 39330000000000000000000000000000 00000000000000000000000000000000 00000000000000000000000000640000',
];

/** A 69-character Code 128 (logistics label), AIM `]C0`: 56 bytes, then 13 with the last flag. */
export const longCode128Scan = [
  '02385d43304c4f54323032362d31322d 30332f53544f52452d303034322f5041 4c4c45542d3030303938312f53534343 2d3034363031323334353637386a0001',
  '020d5d43303930313233342f5154592d 34380000000000000000000000000000 00000000000000000000000000000000 000000000000000000000000006a0000',
];
export const longCode128Text = 'LOT2026-12-03/STORE-0042/PALLET-000981/SSCC-046012345678901234/QTY-48';

/** A QR with Cyrillic UTF-8 (86 bytes), AIM `]Q1`; the letter «т» is split between the reports. */
export const cyrillicQrScan = [
  '02385d5131d09fd0bed0bad183d0bfd0 b0d182d0b5d0bbd18c3a20d098d0b2d0 b0d0bdd0bed0b2d0b020d09cd0b0d180 d0b8d18f3b20d0bad0b0d180d1730001',
  '021e5d513182d0b02032393030303030 3030303031373b20d0bad0bed0b42037 51344600000000000000000000000000 00000000000000000000000000730000',
];
export const cyrillicQrText = 'Покупатель: Иванова Мария; карта 2900000000017; код 7Q4F';

/** A "Честный знак" marking code (GS1 DataMatrix, AIM `]d2`) with GS (0x1D) group separators. */
export const markingCodeScan = [
  '02385d64323031303436303132333435 3637383933323135212656653b741d39 31454530361d393259574358626d4b36 534e387676776f785a466b3757770001',
  '02175d6432415938576f4a4e4d474772 3643677469756a613034633d00000000 00000000000000000000000000000000 00000000000000000000000000770000',
];
export const markingCodeText =
  '0104601234567893215!&Ve;t\u001d91EE06\u001d92YWCXbmK6SN8vvwoxZFk7WAY8WoJNMGGr6Cgtiuja04c=';

/** A status report (id 4) some scanners send between scans; not a scan. */
export const statusReport = '0401000000000000000000000000000000000000';

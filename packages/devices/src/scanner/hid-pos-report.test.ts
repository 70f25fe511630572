import { describe, expect, it } from 'vitest';
import {
  cyrillicQrScan,
  cyrillicQrText,
  ean13Scan,
  longCode128Scan,
  longCode128Text,
  markingCodeScan,
  markingCodeText,
  reportBytes,
  statusReport,
} from '#testing/hid-pos-recordings.ts';
import { createHidScanAssembler, parseHidPosReport } from './hid-pos-report.ts';
import type { ScannedCode } from './scanner-problem.ts';

/** Feeds recorded reports in order and collects what the assembler answers. */
function replay(reports: readonly string[], assembler = createHidScanAssembler()): ScannedCode[] {
  const codes: ScannedCode[] = [];
  for (const hex of reports) {
    const answer = assembler.push(reportBytes(hex));
    if (!answer.ok) throw new Error(answer.error.message);
    if (answer.value) codes.push(answer.value);
  }
  return codes;
}

describe('HID POS scanned data reports (A10)', () => {
  it('an EAN-13 in one report: data by its length byte, AIM id and symbology', () => {
    expect(replay(ean13Scan)).toEqual([{ code: '4601234567893', aim: ']E0', symbology: 'EAN-13' }]);
  });

  it('a long Code 128 spanning two reports is one code', () => {
    const first = parseHidPosReport(reportBytes(longCode128Scan[0] ?? ''));
    expect(first.ok && first.value).toMatchObject({ aim: ']C0', moreFollows: true });
    expect(first.ok && first.value?.data.length).toBe(56);
    expect(replay(longCode128Scan)).toEqual([{ code: longCode128Text, aim: ']C0', symbology: 'Code 128' }]);
  });

  it('a QR with Cyrillic UTF-8 split inside a character decodes whole', () => {
    const [scan] = replay(cyrillicQrScan);
    expect(scan).toEqual({ code: cyrillicQrText, aim: ']Q1', symbology: 'QR Code' });
  });

  it('a marking code keeps its GS separators', () => {
    const [scan] = replay(markingCodeScan);
    expect(scan?.code).toBe(markingCodeText);
    expect(scan?.code.split('\u001d')).toHaveLength(3);
    expect(scan?.symbology).toBe('GS1 DataMatrix');
  });

  it('scans back to back, with a status report between them, give one code per scan', () => {
    const codes = replay([...ean13Scan, statusReport, ...longCode128Scan, ...cyrillicQrScan, ...ean13Scan]);
    expect(codes.map((c) => c.code)).toEqual([
      '4601234567893',
      longCode128Text,
      cyrillicQrText,
      '4601234567893',
    ]);
  });

  it('a report that claims more data than it can hold is an error value, and the next scan is clean', () => {
    const assembler = createHidScanAssembler();
    const broken = reportBytes(ean13Scan[0] ?? '');
    broken[1] = 60;
    const answer = assembler.push(broken);
    expect(!answer.ok && answer.error.code).toBe('scanner_bad_report');
    expect(replay(ean13Scan, assembler)).toHaveLength(1);
  });

  it('a truncated report is an error value', () => {
    const answer = parseHidPosReport(reportBytes('020d5d4530'));
    expect(!answer.ok && answer.error.message).toMatch(/короткий/);
  });

  it('without AIM ids (zeros) the code still arrives, with no symbology', () => {
    const plain = reportBytes(ean13Scan[0] ?? '');
    plain.fill(0, 2, 5);
    const answer = createHidScanAssembler().push(plain);
    expect(answer.ok && answer.value).toEqual({ code: '4601234567893', aim: null, symbology: null });
  });
});

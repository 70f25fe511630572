// HID POS barcode scanners (USB HID Point of Sale usage page 0x8C) send each scan as one or more
// "scanned data" input reports. The layout below is the 64-byte report of the HID POS usage
// tables as Honeywell, Datalogic and Zebra (in HID POS mode) send it: report id 2, the number of
// data bytes in this report, three symbology identifier bytes (the AIM id, `]E0`), 56 data bytes,
// the maker's own code id, and a flags byte whose bit 0 is "decode data continued" (more reports
// of the same scan follow). Pure: bytes in, codes out.
import { err, ok, type Result } from '@loyalty/core/shared/result';
import { decodeScan, type ScanCharset } from './scan-framer.ts';
import { ScannerError, type ScannedCode, type ScannerProblem } from './scanner-problem.ts';

/** The usage page of HID POS barcode scanners. */
export const HID_POS_USAGE_PAGE = 0x8c;

/** Where the fields sit in a scanned data report. */
export type HidPosReportLayout = {
  readonly reportId: number;
  readonly lengthOffset: number;
  readonly aimOffset: number;
  readonly dataOffset: number;
  readonly dataCapacity: number;
  readonly flagsOffset: number;
  readonly moreDataMask: number;
};

/** The 64-byte scanned data report (report id 2). */
export const scannedDataReportLayout: HidPosReportLayout = {
  reportId: 0x02,
  lengthOffset: 1,
  aimOffset: 2,
  dataOffset: 5,
  dataCapacity: 56,
  flagsOffset: 63,
  moreDataMask: 0x01,
};

/** One parsed scanned data report. */
export type HidPosReport = {
  readonly aim: string | null;
  readonly data: Uint8Array;
  readonly moreFollows: boolean;
};

// AIM symbology identifiers (ISO/IEC 15424) of the codes a Russian till meets.
const symbologies: Readonly<Record<string, string>> = {
  ']E0': 'EAN-13',
  ']E4': 'EAN-8',
  ']E1': 'EAN-13 + 2',
  ']E2': 'EAN-13 + 5',
  ']C0': 'Code 128',
  ']C1': 'GS1-128',
  ']A0': 'Code 39',
  ']I0': 'ITF',
  ']I1': 'ITF',
  ']Q1': 'QR Code',
  ']Q3': 'QR Code',
  ']d1': 'Data Matrix',
  ']d2': 'GS1 DataMatrix',
  ']L2': 'PDF417',
  ']z0': 'Aztec',
};

/** The symbology's name for an AIM id (`]E0` -> `EAN-13`), null when unknown. */
export function symbologyOf(aim: string | null): string | null {
  return aim === null ? null : (symbologies[aim] ?? null);
}

const badReport = (message: string, details: Record<string, unknown>): ScannerProblem => ({
  code: ScannerError.badReport,
  message,
  details,
});

/**
 * Parses one input report. Reports with another id (status, button) answer `null`: they are not
 * scans. A report that contradicts its own length is an error value.
 */
export function parseHidPosReport(
  report: Uint8Array,
  layout: HidPosReportLayout = scannedDataReportLayout,
): Result<HidPosReport | null, ScannerProblem> {
  if (report.length === 0 || report[0] !== layout.reportId) return ok(null);
  const need = Math.max(layout.dataOffset, layout.flagsOffset + 1);
  if (report.length < need)
    return err(
      badReport(`Сканер прислал слишком короткий отчёт HID POS (${report.length} байт из ${need}).`, {
        length: report.length,
      }),
    );
  const length = report[layout.lengthOffset] ?? 0;
  if (length > layout.dataCapacity)
    return err(
      badReport(
        `Сканер прислал отчёт HID POS с длиной данных ${length} при ёмкости ${layout.dataCapacity}: проверьте, что сканер в режиме HID POS.`,
        { length, capacity: layout.dataCapacity },
      ),
    );
  const aimBytes = report.subarray(layout.aimOffset, layout.aimOffset + 3);
  // Scanners with AIM ids turned off send zeros (or spaces) there.
  const aim = aimBytes[0] === 0x5d ? String.fromCharCode(...aimBytes) : null;
  return ok({
    aim,
    data: report.slice(layout.dataOffset, layout.dataOffset + length),
    moreFollows: ((report[layout.flagsOffset] ?? 0) & layout.moreDataMask) !== 0,
  });
}

/** The longest scan kept while waiting for its last report (a large 2D code is a few KB). */
const MAX_SCAN_BYTES = 64 * 1024;

/** Joins the reports of one scan; `push` answers the code once its last report arrived. */
export type HidScanAssembler = {
  push(report: Uint8Array): Result<ScannedCode | null, ScannerProblem>;
};

/** An assembler decoding codes in `charset` (UTF-8 by default, which covers ASCII). */
export function createHidScanAssembler(
  charset: ScanCharset = 'utf-8',
  layout: HidPosReportLayout = scannedDataReportLayout,
): HidScanAssembler {
  let parts: Uint8Array[] = [];
  let size = 0;
  let aim: string | null = null;
  return {
    push(report) {
      const parsed = parseHidPosReport(report, layout);
      if (!parsed.ok) {
        parts = [];
        size = 0;
        return parsed;
      }
      if (parsed.value === null) return ok(null);
      if (parts.length === 0) aim = parsed.value.aim;
      parts.push(parsed.value.data);
      size += parsed.value.data.length;
      if (size > MAX_SCAN_BYTES) {
        parts = [];
        size = 0;
        return err(
          badReport('Сканер прислал слишком длинный код (больше 64 КБ) без конца: код пропущен.', { size }),
        );
      }
      if (parsed.value.moreFollows) return ok(null);
      // Joined before decoding: a multibyte character may be split between two reports.
      const joined = new Uint8Array(size);
      let at = 0;
      for (const part of parts) {
        joined.set(part, at);
        at += part.length;
      }
      parts = [];
      size = 0;
      const code = decodeScan(joined, charset);
      if (code === '') return ok(null);
      return ok({ code, aim, symbology: symbologyOf(aim) });
    },
  };
}

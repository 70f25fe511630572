// Types of the device settings as the core's handlers answer them (types only cross from the core).
import type { HandlerAnswer } from '#renderer/rpc/terminal-client.ts';

type Value<A> = Extract<A, { ok: true }> extends { value: infer V } ? V : never;

/** `devices.list`: serial ports and HID POS scanners connected now. */
export type DeviceList = Value<HandlerAnswer<'devices.list'>>;
/** `devices.status`: the configured scanners with their states. */
export type DeviceStatus = Value<HandlerAnswer<'devices.status'>>;
/** One configured scanner (the stored setting, defaults filled in). */
export type ScannerSetting = DeviceStatus['scanners'][number]['setting'];
/** A serial scanner's setting. */
export type SerialScannerSetting = Extract<ScannerSetting, { kind: 'serial' }>;

/** The baud rates the core accepts (scanner-settings.schema.ts). */
export const baudRates = [1200, 2400, 4800, 9600, 19_200, 38_400, 57_600, 115_200] as const;
export const suffixes = ['cr', 'lf', 'crlf', 'none'] as const;
export const charsets = ['utf-8', 'windows-1251', 'ibm866'] as const;
export const parities = ['none', 'even', 'odd', 'mark', 'space'] as const;

/** "9600 8N1, CR, utf-8"; with no suffix the pause too: "9600 8N1, нет (по паузе) 120 мс, utf-8". */
export function serialSummary(
  s: SerialScannerSetting,
  suffixName: (suffix: string) => string,
  ms: (value: number) => string,
): string {
  const parity = s.parity === 'none' ? 'N' : s.parity.charAt(0).toUpperCase();
  const end =
    s.suffix === 'none' ? `${suffixName(s.suffix)} ${ms(s.interCharTimeoutMs)}` : suffixName(s.suffix);
  return `${s.baudRate} ${s.dataBits}${parity}${s.stopBits}, ${end}, ${s.charset}`;
}

// The `scanners` local setting: the serial and HID POS scanners of this workstation (keyboard-
// wedge scanners need no setting). Checked when written (`settings.set`) and when read at start.
import { z } from 'zod';
import { scanCharsets } from '@loyalty/devices/scanner/scan-framer';
import { defaultSerialScannerSettings } from '@loyalty/devices/scanner/serial-scanner';

/** Baud rates scanners offer (the manual's "RS-232 / USB COM" page). */
export const scannerBaudRates = [1200, 2400, 4800, 9600, 19_200, 38_400, 57_600, 115_200] as const;

const serialScannerSchema = z.object({
  kind: z.literal('serial'),
  path: z.string().trim().min(1, 'Укажите порт сканера, например /dev/ttyACM0 или COM3').max(300),
  baudRate: z
    .int()
    .refine((rate) => (scannerBaudRates as readonly number[]).includes(rate), {
      message: `Скорость порта — одна из ${scannerBaudRates.join(', ')}`,
    })
    .default(defaultSerialScannerSettings.baudRate),
  dataBits: z
    .union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)])
    .default(defaultSerialScannerSettings.dataBits),
  parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default(defaultSerialScannerSettings.parity),
  stopBits: z
    .union([z.literal(1), z.literal(1.5), z.literal(2)])
    .default(defaultSerialScannerSettings.stopBits),
  suffix: z.enum(['cr', 'lf', 'crlf', 'none']).default(defaultSerialScannerSettings.suffix),
  /** With suffix 'none', this much silence ends a code. */
  interCharTimeoutMs: z.int().min(10).max(2000).default(defaultSerialScannerSettings.interCharTimeoutMs),
  charset: z.enum(scanCharsets).default(defaultSerialScannerSettings.charset),
});

const usbId = z.int().min(0).max(0xffff);

const hidScannerSchema = z
  .object({
    kind: z.literal('hid'),
    path: z.string().trim().min(1).max(300).optional(),
    vendorId: usbId.optional(),
    productId: usbId.optional(),
    charset: z.enum(scanCharsets).default('utf-8'),
  })
  .refine((s) => s.path !== undefined || (s.vendorId !== undefined && s.productId !== undefined), {
    message: 'Укажите путь HID-сканера (path) или его vendorId и productId',
  });

/** One configured scanner. */
export const scannerSettingSchema = z.discriminatedUnion('kind', [serialScannerSchema, hidScannerSchema]);
export type ScannerSetting = z.output<typeof scannerSettingSchema>;

/** A stable name of a configured scanner (also the `source` of its scan events). */
export function scannerKey(s: ScannerSetting): string {
  if (s.kind === 'serial') return `serial:${s.path}`;
  if (s.path !== undefined) return `hid:${s.path}`;
  const hex = (n: number | undefined) => (n ?? 0).toString(16).padStart(4, '0');
  return `hid:${hex(s.vendorId)}:${hex(s.productId)}`;
}

/** The whole setting: up to 8 scanners, none of them twice. */
export const scannersSettingSchema = z
  .array(scannerSettingSchema)
  .max(8, 'Не больше 8 сканеров на одной кассе')
  .superRefine((list, check) => {
    const seen = new Set<string>();
    list.forEach((s, index) => {
      const key = scannerKey(s);
      if (seen.has(key))
        check.addIssue({
          code: 'custom',
          path: [index],
          message: `Сканер ${key.replace(/^\w+:/, '')} указан дважды: удалите лишний`,
        });
      seen.add(key);
    });
  });

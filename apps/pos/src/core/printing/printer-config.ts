// The receipt printer of this workstation, kept in local settings under `printer` (set from the
// settings screen or `settings.set { local: { printer: {...} } }`). No printer is a valid setup:
// the sale is stored either way, the slip is then only shown on screen.
import { z } from 'zod';
import { defaultPrinterSettings } from '@loyalty/devices/escpos/printer-settings';
import { readLocalSettings } from '#core/store/local-settings.repository.ts';
import type { Sqlite } from '#core/store/database.ts';

const layout = {
  columns: z.int().min(24).max(64).default(defaultPrinterSettings.columns),
  /** The printer's `ESC t` number for CP866 (17 on Epson and most clones). */
  codepage: z.int().min(0).max(255).default(defaultPrinterSettings.codepage),
  // 'none': a printer without a cutter; the paper is fed and torn off.
  cut: z.enum(['full', 'partial', 'none']).default(defaultPrinterSettings.cut),
  feedBeforeCut: z.int().min(0).max(10).default(defaultPrinterSettings.feedBeforeCut),
  qrSize: z.int().min(1).max(8).default(defaultPrinterSettings.qrSize),
};

/** The stored printer setting, validated. */
export const printerConfigSchema = z.discriminatedUnion('transport', [
  z.object({ transport: z.literal('none') }),
  z.object({
    transport: z.literal('tcp'),
    host: z.string().min(1).max(200),
    port: z.int().min(1).max(65_535).default(9100),
    ...layout,
  }),
  // USB (/dev/usb/lp0) and serial (/dev/ttyUSB0) printers are both written as device files.
  z.object({ transport: z.literal('file'), path: z.string().min(1).max(500), ...layout }),
]);
export type PrinterConfig = z.output<typeof printerConfigSchema>;

/** The printer setting, `{ transport: 'none' }` when unset or unreadable. */
export function readPrinterConfig(db: Sqlite): PrinterConfig {
  const parsed = printerConfigSchema.safeParse(readLocalSettings(db).printer ?? { transport: 'none' });
  return parsed.success ? parsed.data : { transport: 'none' };
}

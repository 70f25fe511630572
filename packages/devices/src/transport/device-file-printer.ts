// USB printers (/dev/usb/lp0) and serial ones (/dev/ttyS0, /dev/ttyUSB0, COM ports) take the same
// bytes written to their device file. Serial line settings (baud rate) are set once by the OS
// (`stty -F /dev/ttyUSB0 19200`), so the writer stays a plain file write.
import { open } from 'node:fs/promises';
import { err, ok, type Result } from '@loyalty/core/shared/result';
import { PrinterError, type PrinterProblem } from './printer-problem.ts';

/** Writes `bytes` to the device file at `path` (no create, no truncate: it is a device). */
export async function printToDeviceFile(
  path: string,
  bytes: Uint8Array,
): Promise<Result<void, PrinterProblem>> {
  let handle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    return err({
      code: PrinterError.unreachable,
      message: `Принтер ${path} недоступен: ${(error as Error).message}`,
    });
  }
  try {
    await handle.write(bytes);
    return ok(undefined);
  } catch (error) {
    return err({
      code: PrinterError.writeFailed,
      message: `Печать на ${path} не удалась: ${(error as Error).message}`,
    });
  } finally {
    await handle.close();
  }
}

// Network receipt printers listen on raw TCP port 9100 ("JetDirect"): connect, write the bytes,
// close. The printer's answer to a closed socket is the only acknowledgement there is.
import { connect } from 'node:net';
import { err, ok, type Result } from '@loyalty/core/shared/result';
import { PrinterError, type PrinterProblem } from './printer-problem.ts';

/** Where a network printer listens. */
export type TcpPrinterAddress = {
  readonly host: string;
  readonly port?: number;
  readonly timeoutMs?: number;
};

/** Sends `bytes` to the printer; a printer that is off or unplugged is a value, not a throw. */
export function printOverTcp(
  address: TcpPrinterAddress,
  bytes: Uint8Array,
): Promise<Result<void, PrinterProblem>> {
  const port = address.port ?? 9100;
  const where = `${address.host}:${port}`;
  return new Promise((resolve) => {
    const socket = connect({ host: address.host, port });
    let settled = false;
    const finish = (result: Result<void, PrinterProblem>) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(address.timeoutMs ?? 5000, () =>
      finish(err({ code: PrinterError.timeout, message: `Принтер ${where} не отвечает.` })),
    );
    socket.on('error', (error) =>
      finish(
        err({ code: PrinterError.unreachable, message: `Принтер ${where} недоступен: ${error.message}` }),
      ),
    );
    socket.on('connect', () => {
      // end() flushes everything written before closing; 'close' means the printer has it all.
      socket.end(bytes);
    });
    socket.on('close', () => finish(ok(undefined)));
  });
}

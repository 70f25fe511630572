// Serial and virtual-COM scanners (USB scanners in "USB COM" / CDC mode, RS-232 ones): the port
// is opened with `serialport`, bytes are framed into codes by the suffix (or by silence), and a
// port that disappears (cable pulled, driver reloaded) is reopened until it is back.
import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { err, ok, type Result } from '@loyalty/core/shared/result';
import { createScanFramer, decodeScan, type ScanCharset, type ScanSuffix } from './scan-framer.ts';
import {
  ScannerError,
  type ScannerEvents,
  type ScannerProblem,
  type ScannerStatus,
} from './scanner-problem.ts';

/** Line settings of a serial scanner (the scanner's own manual says which it sends). */
export type SerialScannerSettings = {
  readonly path: string;
  readonly baudRate: number;
  readonly dataBits: 5 | 6 | 7 | 8;
  readonly parity: 'none' | 'even' | 'odd' | 'mark' | 'space';
  readonly stopBits: 1 | 1.5 | 2;
  readonly suffix: ScanSuffix;
  /** With suffix 'none': this much silence ends a code. */
  readonly interCharTimeoutMs: number;
  readonly charset: ScanCharset;
  /** How often a missing port is tried again. */
  readonly reconnectMs: number;
};

/** Factory settings of most scanners in COM mode: 9600 8N1, CR after each code. */
export const defaultSerialScannerSettings = {
  baudRate: 9600,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
  suffix: 'cr',
  interCharTimeoutMs: 50,
  charset: 'utf-8',
  reconnectMs: 1000,
} as const satisfies Omit<SerialScannerSettings, 'path'>;

/** A serial port the OS reports, for the settings screen. */
export type SerialPortInfo = {
  readonly path: string;
  readonly manufacturer: string | null;
  readonly serialNumber: string | null;
  readonly vendorId: string | null;
  readonly productId: string | null;
};

/** A running serial scanner. */
export type SerialScanner = {
  /** The first open: its outcome; on failure the scanner keeps trying in the background. */
  readonly started: Promise<Result<void, ScannerProblem>>;
  status(): ScannerStatus;
  close(): Promise<void>;
};

/** The serial ports the OS knows (USB-serial adapters, CDC scanners, built-in COM ports). */
export async function listSerialPorts(): Promise<Result<SerialPortInfo[], ScannerProblem>> {
  try {
    const ports = await SerialPort.list();
    return ok(
      ports.map((p) => ({
        path: p.path,
        manufacturer: p.manufacturer ?? null,
        serialNumber: p.serialNumber ?? null,
        vendorId: p.vendorId ?? null,
        productId: p.productId ?? null,
      })),
    );
  } catch (error) {
    return err({
      code: ScannerError.openFailed,
      message: `Не удалось получить список COM-портов: ${(error as Error).message}`,
    });
  }
}

/** Turns an open error of the OS into a message that tells the cashier or installer what to do. */
export function serialOpenProblem(path: string, error: Error): ScannerProblem {
  const text = error.message;
  const details = { path, reason: text };
  if (/no such file|ENOENT/i.test(text))
    return {
      code: ScannerError.portMissing,
      message: `Порт сканера ${path} не найден: проверьте, что сканер подключён и включён режим COM-порта, или выберите другой порт.`,
      details,
    };
  if (/permission denied|EACCES/i.test(text))
    return {
      code: ScannerError.permissionDenied,
      message: `Нет доступа к порту ${path}: добавьте пользователя кассы в группу dialout (sudo usermod -aG dialout <пользователь>) и войдите заново.`,
      details,
    };
  if (/busy|lock|EBUSY/i.test(text))
    return {
      code: ScannerError.busy,
      message: `Порт ${path} занят другой программой: закройте её или выберите другой порт.`,
      details,
    };
  return {
    code: ScannerError.openFailed,
    message: `Не удалось открыть порт сканера ${path}: ${text}`,
    details,
  };
}

/** Opens the scanner on `settings.path` and reports each code to `events.onScan`. */
export function startSerialScanner(settings: SerialScannerSettings, events: ScannerEvents): SerialScanner {
  let status: ScannerStatus = { state: 'waiting', problem: null, scans: 0 };
  let port: SerialPort | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let silence: ReturnType<typeof setTimeout> | undefined;
  let watch: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const framer = createScanFramer(settings.suffix);

  const setStatus = (next: Partial<ScannerStatus>) => {
    status = { ...status, ...next };
    events.onStatus?.(status);
  };
  const emit = (bytes: Uint8Array) => {
    const code = decodeScan(bytes, settings.charset).trim();
    if (code === '') return;
    status = { ...status, scans: status.scans + 1 };
    events.onScan({ code, aim: null, symbology: null });
  };
  const onData = (chunk: Buffer) => {
    for (const code of framer.push(new Uint8Array(chunk))) emit(code);
    if (settings.suffix === 'none') {
      clearTimeout(silence);
      silence = setTimeout(() => {
        const code = framer.flush();
        if (code) emit(code);
      }, settings.interCharTimeoutMs);
    }
  };

  // serialport notices a hang-up through its poller, which can miss one that comes right after a
  // read; the device node itself going away (or the link now naming another device) is certain.
  const watchDevice = (opened: SerialPort) => {
    const identity = stat(settings.path).then(
      (s) => s.rdev,
      () => null,
    );
    clearInterval(watch);
    watch = setInterval(() => {
      void (async () => {
        const now = await stat(settings.path).then(
          (s) => s.rdev,
          () => null,
        );
        if (port === opened && opened.isOpen && (now === null || now !== (await identity))) opened.close();
      })();
    }, settings.reconnectMs);
  };

  const scheduleRetry = () => {
    if (closed) return;
    clearTimeout(retry);
    retry = setTimeout(() => void attempt(), settings.reconnectMs);
  };

  const attempt = (): Promise<Result<void, ScannerProblem>> =>
    new Promise((resolve) => {
      if (closed) return resolve(ok(undefined));
      const opening = new SerialPort({
        path: settings.path,
        baudRate: settings.baudRate,
        dataBits: settings.dataBits,
        parity: settings.parity,
        stopBits: settings.stopBits,
        autoOpen: false,
      });
      opening.open((error) => {
        if (error) {
          const problem = serialOpenProblem(settings.path, error);
          if (status.problem?.code !== problem.code || status.state !== 'waiting')
            setStatus({ state: 'waiting', problem });
          scheduleRetry();
          return resolve(err(problem));
        }
        if (closed) {
          opening.close();
          return resolve(ok(undefined));
        }
        port = opening;
        watchDevice(opening);
        opening.on('data', onData);
        // Errors after opening end in 'close' (with `disconnected` when the device went away).
        opening.on('error', () => undefined);
        opening.on('close', () => {
          port = null;
          clearInterval(watch);
          clearTimeout(silence);
          // A code cut off by the unplugging is incomplete: a partial barcode must never be sold.
          framer.flush();
          if (closed) return;
          setStatus({
            state: 'waiting',
            problem: {
              code: ScannerError.disconnected,
              message: `Сканер на порту ${settings.path} отключился; касса подключится снова, как только он появится.`,
              details: { path: settings.path },
            },
          });
          scheduleRetry();
        });
        setStatus({ state: 'open', problem: null });
        resolve(ok(undefined));
      });
    });

  const started = attempt();
  return {
    started,
    status: () => status,
    close: async () => {
      closed = true;
      clearTimeout(retry);
      clearTimeout(silence);
      clearInterval(watch);
      const open = port;
      port = null;
      if (open?.isOpen) await new Promise<void>((resolve) => open.close(() => resolve()));
      setStatus({ state: 'closed', problem: null });
    },
  };
}

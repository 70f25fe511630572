// HID POS barcode scanners (usage page 0x8C) through node-hid: no keyboard emulation, so a scan
// never lands in a focused field, and the AIM id tells the symbology. The native module is
// loaded on first use, so a machine where it cannot load gets an error value, not a crash.
import type * as NodeHidModule from 'node-hid';
import type { Device, HIDAsync } from 'node-hid';
import { err, ok, type Result } from '@loyalty/core/shared/result';
import { createHidScanAssembler, HID_POS_USAGE_PAGE } from './hid-pos-report.ts';
import type { ScanCharset } from './scan-framer.ts';
import {
  ScannerError,
  type ScannerEvents,
  type ScannerProblem,
  type ScannerStatus,
} from './scanner-problem.ts';

/** Which device: its hidraw path, or its USB vendor and product ids (the path may change on replug). */
export type HidPosTarget =
  { readonly path: string } | { readonly vendorId: number; readonly productId: number };

/** Settings of a HID POS scanner. */
export type HidPosScannerSettings = {
  readonly target: HidPosTarget;
  readonly charset: ScanCharset;
  readonly reconnectMs: number;
};

/** A HID POS scanner the OS reports, for the settings screen. */
export type HidPosDeviceInfo = {
  readonly path: string;
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturer: string | null;
  readonly product: string | null;
  readonly serialNumber: string | null;
};

/** A running HID POS scanner. */
export type HidPosScanner = {
  readonly started: Promise<Result<void, ScannerProblem>>;
  status(): ScannerStatus;
  close(): Promise<void>;
};

type NodeHid = typeof NodeHidModule;
let loaded: Promise<Result<NodeHid, ScannerProblem>> | null = null;

/** node-hid, or why it cannot load here (missing libudev / libusb, unsupported platform). */
export function loadNodeHid(): Promise<Result<NodeHid, ScannerProblem>> {
  loaded ??= import('node-hid').then(
    (module) => ok(module),
    (error: unknown) =>
      err({
        code: ScannerError.hidUnavailable,
        message: `Драйвер HID-сканеров не загрузился на этом компьютере (нужны libudev1 и libusb-1.0-0): ${(error as Error).message}. Переключите сканер в режим клавиатуры или COM-порта.`,
        details: { reason: (error as Error).message },
      }),
  );
  return loaded;
}

/** The HID POS scanners among `devices` (one entry per device path). */
export function hidPosDevicesFrom(devices: readonly Device[]): HidPosDeviceInfo[] {
  const seen = new Set<string>();
  const found: HidPosDeviceInfo[] = [];
  for (const d of devices) {
    if (d.usagePage !== HID_POS_USAGE_PAGE || !d.path || seen.has(d.path)) continue;
    seen.add(d.path);
    found.push({
      path: d.path,
      vendorId: d.vendorId,
      productId: d.productId,
      manufacturer: d.manufacturer ?? null,
      product: d.product ?? null,
      serialNumber: d.serialNumber ?? null,
    });
  }
  return found;
}

/** The HID POS scanners connected now. */
export async function listHidPosDevices(): Promise<Result<HidPosDeviceInfo[], ScannerProblem>> {
  const hid = await loadNodeHid();
  if (!hid.ok) return hid;
  try {
    return ok(hidPosDevicesFrom(await hid.value.devicesAsync()));
  } catch (error) {
    return err({
      code: ScannerError.hidUnavailable,
      message: `Не удалось получить список HID-устройств: ${(error as Error).message}`,
    });
  }
}

const describeTarget = (target: HidPosTarget) =>
  'path' in target
    ? target.path
    : `${target.vendorId.toString(16).padStart(4, '0')}:${target.productId.toString(16).padStart(4, '0')}`;

/** Why a HID device did not open, in words that say what to do. */
export function hidOpenProblem(target: HidPosTarget, error: Error): ScannerProblem {
  const what = describeTarget(target);
  const details = { device: what, reason: error.message };
  if (/permission|EACCES/i.test(error.message))
    return {
      code: ScannerError.permissionDenied,
      message: `Нет доступа к HID-сканеру ${what}: добавьте правило udev (MODE="0660", GROUP="plugdev") и включите пользователя кассы в группу plugdev.`,
      details,
    };
  return {
    code: ScannerError.deviceMissing,
    message: `HID-сканер ${what} не найден: проверьте, что он подключён и переключён в режим HID POS, или выберите его заново в настройках.`,
    details,
  };
}

/** Opens the scanner and reports each scan (all of its reports joined) to `events.onScan`. */
export function startHidPosScanner(settings: HidPosScannerSettings, events: ScannerEvents): HidPosScanner {
  let status: ScannerStatus = { state: 'waiting', problem: null, scans: 0 };
  let device: HIDAsync | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const setStatus = (next: Partial<ScannerStatus>) => {
    status = { ...status, ...next };
    events.onStatus?.(status);
  };
  const scheduleRetry = () => {
    if (closed) return;
    clearTimeout(retry);
    retry = setTimeout(() => void attempt(), settings.reconnectMs);
  };
  const waitWith = (problem: ScannerProblem) => {
    if (status.problem?.code !== problem.code || status.state !== 'waiting')
      setStatus({ state: 'waiting', problem });
    scheduleRetry();
    return err(problem);
  };

  const attempt = async (): Promise<Result<void, ScannerProblem>> => {
    if (closed) return ok(undefined);
    const hid = await loadNodeHid();
    // A driver that cannot load will not load later either: no retries.
    if (!hid.ok) {
      setStatus({ state: 'waiting', problem: hid.error });
      return hid;
    }
    let opened: HIDAsync;
    try {
      const { target } = settings;
      opened =
        'path' in target
          ? await hid.value.HIDAsync.open(target.path)
          : await hid.value.HIDAsync.open(target.vendorId, target.productId);
    } catch (error) {
      return waitWith(hidOpenProblem(settings.target, error as Error));
    }
    if (closed) {
      await opened.close();
      return ok(undefined);
    }
    device = opened;
    const assembler = createHidScanAssembler(settings.charset);
    opened.on('data', (report: Buffer) => {
      const answer = assembler.push(new Uint8Array(report));
      if (!answer.ok) return setStatus({ problem: answer.error });
      if (answer.value) {
        status = { ...status, scans: status.scans + 1 };
        events.onScan(answer.value);
      }
    });
    // A read error is how hidapi reports an unplugged device: close it and wait for it to return.
    opened.on('error', () => {
      if (device !== opened) return;
      device = null;
      void opened.close().catch(() => undefined);
      if (closed) return;
      waitWith({
        code: ScannerError.disconnected,
        message: `HID-сканер ${describeTarget(settings.target)} отключился; касса подключится снова, как только он появится.`,
      });
    });
    setStatus({ state: 'open', problem: null });
    return ok(undefined);
  };

  const started = attempt();
  return {
    started,
    status: () => status,
    close: async () => {
      closed = true;
      clearTimeout(retry);
      const open = device;
      device = null;
      if (open) await open.close().catch(() => undefined);
      setStatus({ state: 'closed', problem: null });
    },
  };
}

// Runs the serial and HID POS scanners of the `scanners` local setting for as long as the core
// runs: each code goes to the renderer (and any integration listening) as a `scan` event, and
// each state change as a `devices` event. A changed setting restarts them.
import { startHidPosScanner, type HidPosScanner } from '@loyalty/devices/scanner/hid-pos-scanner';
import type { ScannerProblem, ScannerStatus } from '@loyalty/devices/scanner/scanner-problem';
import { startSerialScanner, type SerialScanner } from '@loyalty/devices/scanner/serial-scanner';
import { invalidInput, parseInput } from '@loyalty/core/shared/validation';
import type { Problem } from '@loyalty/core/shared/result';
import type { Sqlite } from '#core/store/database.ts';
import { readLocalSettings } from '#core/store/local-settings.repository.ts';
import type { TerminalEvents } from '#core/shared/terminal-events.ts';
import { scannerKey, scannersSettingSchema, type ScannerSetting } from './scanner-settings.schema.ts';

/** The state of one configured scanner, as `devices.status` answers it. */
export type ScannerEntryStatus = ScannerStatus & {
  readonly key: string;
  readonly setting: ScannerSetting;
};

/** What a `scan` event carries. */
export type ScanEvent = {
  readonly code: string;
  readonly aim: string | null;
  readonly symbology: string | null;
  readonly source: string;
};

type Running = {
  readonly key: string;
  readonly setting: ScannerSetting;
  readonly scanner: SerialScanner | HidPosScanner;
};

/** Options of the service; tests shorten the reconnect interval. */
export type ScannerServiceOptions = {
  readonly db: Sqlite;
  readonly events: TerminalEvents;
  readonly reconnectMs?: number;
  readonly log?: (message: string) => void;
};

/** The stored setting, checked; an unreadable one is a problem (shown) and runs no scanner. */
export function readScannerSettings(db: Sqlite): { scanners: ScannerSetting[]; problem: Problem | null } {
  const stored = readLocalSettings(db).scanners ?? [];
  const parsed = parseInput(scannersSettingSchema, stored);
  return parsed.ok
    ? { scanners: parsed.value, problem: null }
    : { scanners: [], problem: invalidInput('настройка сканеров', parsed.issues) };
}

/** Starts, restarts and stops the configured scanners. */
export class ScannerService {
  private running: Running[] = [];
  private settingProblem: Problem | null = null;
  // Restarts run one after another: two quick setting changes must not open a port twice.
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: ScannerServiceOptions) {}

  /** Starts the scanners of the stored setting (stopping any running ones first). */
  reload(): Promise<void> {
    this.queue = this.queue.then(() => this.restart());
    return this.queue;
  }

  /** Every configured scanner with its state. */
  status(): { scanners: ScannerEntryStatus[]; settingProblem: Problem | null } {
    return {
      scanners: this.running.map((r) => ({ ...r.scanner.status(), key: r.key, setting: r.setting })),
      settingProblem: this.settingProblem,
    };
  }

  /** Stops every scanner; the ports are free when it resolves. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.stopAll();
  }

  private async stopAll(): Promise<void> {
    const stopping = this.running;
    this.running = [];
    await Promise.all(stopping.map((r) => r.scanner.close()));
  }

  private async restart(): Promise<void> {
    await this.stopAll();
    if (this.closed) return;
    const { scanners, problem } = readScannerSettings(this.options.db);
    this.settingProblem = problem;
    if (problem) this.options.log?.(`сканеры не запущены: ${problem.message}`);
    const reconnectMs = this.options.reconnectMs ?? 1000;
    for (const setting of scanners) {
      const key = scannerKey(setting);
      const events = {
        onScan: (scan: { code: string; aim: string | null; symbology: string | null }) => {
          this.options.events.emit('scan', { ...scan, source: key } satisfies ScanEvent);
          // The settings screen shows how many codes each scanner has read.
          this.options.events.emit('devices', this.status());
        },
        onStatus: (status: ScannerStatus) => {
          if (status.problem) this.logProblem(key, status.problem);
          this.options.events.emit('devices', this.status());
        },
      };
      const scanner =
        setting.kind === 'serial'
          ? startSerialScanner({ ...setting, reconnectMs }, events)
          : startHidPosScanner(
              {
                target:
                  setting.path !== undefined
                    ? { path: setting.path }
                    : { vendorId: setting.vendorId ?? 0, productId: setting.productId ?? 0 },
                charset: setting.charset,
                reconnectMs,
              },
              events,
            );
      this.running.push({ key, setting, scanner });
    }
    // The first open of each is awaited so the answer to `settings.set` shows real states.
    await Promise.all(this.running.map((r) => r.scanner.started));
    this.options.events.emit('devices', this.status());
  }

  private logProblem(key: string, problem: ScannerProblem): void {
    this.options.log?.(`${key}: ${problem.message}`);
  }
}

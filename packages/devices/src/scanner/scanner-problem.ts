// Expected scanner failures travel as values (STYLE rule 7): a scanner that is unplugged, busy or
// not allowed must not stop the till; the settings screen shows the message and the core retries.

export const ScannerError = {
  portMissing: 'scanner_port_missing',
  permissionDenied: 'scanner_permission_denied',
  busy: 'scanner_busy',
  openFailed: 'scanner_open_failed',
  disconnected: 'scanner_disconnected',
  hidUnavailable: 'scanner_hid_unavailable',
  deviceMissing: 'scanner_device_missing',
  badReport: 'scanner_bad_report',
} as const;

/** A scanner failure as plain data, with a Russian message that says what to fix. */
export type ScannerProblem = {
  readonly code: (typeof ScannerError)[keyof typeof ScannerError];
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
};

/** Where a scanner is: working, waiting for its device to come (back), or closed for good. */
export type ScannerState = 'open' | 'waiting' | 'closed';

/** A scanner's current state, as the settings screen and `devices.status` show it. */
export type ScannerStatus = {
  readonly state: ScannerState;
  readonly problem: ScannerProblem | null;
  readonly scans: number;
};

/** One scanned code. `aim` is the AIM symbology identifier (`]E0`) when the device reports one. */
export type ScannedCode = {
  readonly code: string;
  readonly aim: string | null;
  readonly symbology: string | null;
};

/** Callbacks of a running scanner. */
export type ScannerEvents = {
  onScan(scan: ScannedCode): void;
  onStatus?(status: ScannerStatus): void;
};

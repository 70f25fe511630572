// Everything a handler may touch: the store, the clocks, the sync client, the session and the
// event channel. Built once by createTerminalCore; tests build it over a temporary folder.
import type { ConfirmationCodes } from '#core/buyers/confirmation-codes.ts';
import type { CashierSession } from '#core/cashiers/cashier-session.ts';
import type { ScannerService } from '#core/devices/scanner-service.ts';
import type { MessageProvider } from '#core/messaging/message-provider.ts';
import type { Sqlite } from '#core/store/database.ts';
import type { TerminalClock } from '#core/shared/terminal-clock.ts';
import type { TerminalEvents } from '#core/shared/terminal-events.ts';
import type { SyncClient } from '#core/sync/sync-client.ts';

/** The terminal core's state, shared by the handlers. */
export type TerminalContext = {
  readonly db: Sqlite;
  readonly clock: TerminalClock;
  readonly sync: SyncClient;
  readonly session: CashierSession;
  readonly events: TerminalEvents;
  readonly dataDir: string;
  /** Sends registration codes to buyers (the local fake until the SMS gateways arrive). */
  readonly messages: MessageProvider;
  /** Registration codes sent and confirmed, by phone. */
  readonly codes: ConfirmationCodes;
  /** The serial and HID POS scanners of the `scanners` local setting. */
  readonly devices: ScannerService;
};

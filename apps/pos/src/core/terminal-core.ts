// Assembles the terminal core over a data folder: the SQLite store, the clock with the stored
// offset, the sync client and the handler map. Electron's main process and browser mode both
// start it through this one function.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfirmationCodes } from '#core/buyers/confirmation-codes.ts';
import { CashierSession } from '#core/cashiers/cashier-session.ts';
import { createHandlers, type TerminalHandlers } from '#core/handlers/terminal-handlers.ts';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { FakeMessageProvider, type MessageProvider } from '#core/messaging/message-provider.ts';
import { openDatabase } from '#core/store/database.ts';
import { getIdentity } from '#core/store/identity.repository.ts';
import { createClock } from '#core/shared/terminal-clock.ts';
import { TerminalEvents } from '#core/shared/terminal-events.ts';
import { SyncClient } from '#core/sync/sync-client.ts';
import { ScannerService } from '#core/devices/scanner-service.ts';

/** Options of a core; tests pass a fake device clock and turn background sync off. */
export type TerminalCoreOptions = {
  readonly dataDir: string;
  readonly deviceNow?: () => number;
  /** Background sync (events listener, retries, pushes after sales); on by default. */
  readonly autoSync?: boolean;
  /** Full sync at least this often even without pokes (default 5 minutes). */
  readonly periodicSyncMs?: number;
  /** Time limit of one pull or push request (default 60 s). */
  readonly requestTimeoutMs?: number;
  readonly log?: (message: string) => void;
  /** Delivers registration codes; by default the local fake, which records them (and logs them). */
  readonly messages?: MessageProvider;
};

/** A running core. */
export type TerminalCore = {
  readonly ctx: TerminalContext;
  readonly handlers: TerminalHandlers;
  close(): Promise<void>;
};

/** Opens the store in `dataDir` (created if missing) and starts the core. */
export function createTerminalCore(options: TerminalCoreOptions): TerminalCore {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(options.dataDir, 'terminal.sqlite'));
  const clock = createClock(getIdentity(db).clockOffsetMs, options.deviceNow);
  const events = new TerminalEvents();
  const sync = new SyncClient({
    db,
    clock,
    events,
    ...(options.autoSync === undefined ? {} : { autoSync: options.autoSync }),
    ...(options.periodicSyncMs === undefined ? {} : { periodicSyncMs: options.periodicSyncMs }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.log ? { log: options.log } : {}),
  });
  const ctx: TerminalContext = {
    db,
    clock,
    sync,
    session: new CashierSession(),
    events,
    dataDir: options.dataDir,
    messages: options.messages ?? new FakeMessageProvider(options.log),
    codes: new ConfirmationCodes(),
    devices: new ScannerService({ db, events, ...(options.log ? { log: options.log } : {}) }),
  };
  const handlers = createHandlers(ctx);
  sync.start();
  // Scanners start in the background: a port that is missing must not hold up the core.
  void ctx.devices.reload();
  return {
    ctx,
    handlers,
    close: async () => {
      await ctx.devices.close();
      await sync.stop();
      db.close();
    },
  };
}

// Updates of the workstation (A11) through electron-updater's generic provider, from the feed of
// the server this terminal is paired with (the server's /updates routes). Checked at start and
// every few hours; a downloaded update is installed only when the program quits, so it can never
// interrupt a sale.
import electronUpdater from 'electron-updater';
import { z } from 'zod';
import type { CoreEvent } from './core-channel.ts';
import type { CoreHost } from './core-host.ts';
import { feedPlatform, updateFeedUrl } from './shell-policy.ts';

/** Options of the updater. */
export type AutoUpdateOptions = {
  readonly host: CoreHost;
  readonly log: (message: string) => void;
  /** Tells the window (status events), e.g. "version 0.3.0 is installed on exit". */
  readonly notify: (event: CoreEvent) => void;
  readonly intervalMs?: number;
};

// settings.get crosses a process boundary: read only what the updater needs, and check it.
const settingsAnswerSchema = z.object({
  ok: z.literal(true),
  value: z.object({ serverUrl: z.string().nullable(), local: z.record(z.string(), z.unknown()) }),
});

/** Starts checking; returns the function that stops the timer. */
export function startAutoUpdate(options: AutoUpdateOptions): () => void {
  const { autoUpdater } = electronUpdater;
  const { log } = options;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  // The server's feed sends whole files (no byte ranges): download the installer whole.
  autoUpdater.disableDifferentialDownload = true;
  autoUpdater.logger = {
    info: (message?: unknown) => log(`updater: ${String(message)}`),
    warn: (message?: unknown) => log(`updater: ${String(message)}`),
    error: (message?: unknown) => log(`updater: ${String(message)}`),
  };
  autoUpdater.on('update-downloaded', (info: { version: string }) =>
    options.notify({
      event: 'update',
      data: { state: 'downloaded', version: info.version, installOn: 'quit' },
    }),
  );
  autoUpdater.on('error', (error: Error) => log(`updater: ${error.message}`));

  let feed: string | null = null;
  const check = async () => {
    const answer = settingsAnswerSchema.safeParse(await options.host.call('settings.get', {}));
    if (!answer.success) return log('updater: the core did not answer settings.get; next check later');
    const url = updateFeedUrl(
      answer.data.value.serverUrl,
      answer.data.value.local,
      feedPlatform(process.platform),
    );
    if (!url) return log('updater: no feed yet (the terminal is not paired with a server)');
    // The feed follows the paired server: a till moved to another server updates from there.
    if (url !== feed) {
      autoUpdater.setFeedURL({ provider: 'generic', url });
      feed = url;
    }
    await autoUpdater.checkForUpdates();
  };
  const run = () =>
    void check().catch((error: unknown) =>
      log(
        `updater: check failed (${error instanceof Error ? error.message : String(error)}); next check later`,
      ),
    );
  run();
  const timer = setInterval(run, options.intervalMs ?? 4 * 60 * 60_000);
  return () => clearInterval(timer);
}

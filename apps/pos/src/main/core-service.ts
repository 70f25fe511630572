// The terminal core as the utility process runs it: the store, sync and handler map of
// `createTerminalCore`, served over a CorePort to the main process, plus the local integration
// endpoint (A12) on 127.0.0.1 for third-party tills on the same computer. Electron-free, so a test
// runs exactly this in a Node child process.
import { createTerminalCore } from '#core/terminal-core.ts';
import { dispatch } from '#core/transport/dispatch.ts';
import { startLocalServer, type LocalServer } from '#core/transport/local-server.ts';
import { loadOrCreateLocalToken } from '#core/transport/local-token.ts';
import { serveCore, type CorePort } from './core-channel.ts';

/** Options of the core service. */
export type CoreServiceOptions = {
  readonly dataDir: string;
  /** Port of the local integration endpoint; null leaves it off. */
  readonly localPort: number | null;
  readonly log: (message: string) => void;
  /** Background sync (on in the shell; tests without a server turn it off). */
  readonly autoSync?: boolean;
};

/** A running service. */
export type CoreService = { readonly localUrl: string | null; close(): Promise<void> };

/** Starts the core in `dataDir` and serves it over `port`; a `stop` message closes it and calls `onStopped`. */
export async function startCoreService(
  port: CorePort,
  options: CoreServiceOptions,
  onStopped: () => void,
): Promise<CoreService> {
  const { log } = options;
  const core = createTerminalCore({
    dataDir: options.dataDir,
    log,
    ...(options.autoSync === undefined ? {} : { autoSync: options.autoSync }),
  });
  let local: LocalServer | null = null;
  if (options.localPort !== null) {
    try {
      local = await startLocalServer({
        core,
        token: loadOrCreateLocalToken(options.dataDir),
        port: options.localPort,
        log,
      });
      log(`local integration endpoint: ${local.url}`);
    } catch (error) {
      // Another program holds the port: the till still sells; only integrations lose the endpoint.
      log(`local integration endpoint not started on port ${options.localPort}: ${String(error)}`);
    }
  }
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      stopServing();
      await local?.close();
      await core.close();
    })());
  const stopServing = serveCore(
    port,
    {
      dispatch: async (name, args) => (await dispatch(core.handlers, name, args, log)).result,
      subscribe: (listener) => core.ctx.events.subscribe(listener),
    },
    { log, onStop: () => void close().then(onStopped) },
  );
  return { localUrl: local?.url ?? null, close };
}

// Starts the terminal core in a utility process (ARCHITECTURE "The terminal": its preferred
// home) and keeps it running: a crash answers the calls in flight, then the core is started again
// after a growing pause. SQLite (WAL, synchronous=FULL) keeps every committed receipt across it.
import { utilityProcess, type UtilityProcess } from 'electron';
import { createCoreCaller, type CoreCaller, type CoreEvent, type CorePort } from './core-channel.ts';

/** Options of the host. */
export type CoreHostOptions = {
  /** The bundled core-process entry. */
  readonly entry: string;
  readonly dataDir: string;
  readonly log: (message: string) => void;
};

/** The running core as the main process sees it. */
export type CoreHost = {
  call(name: string, args: unknown): Promise<unknown>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  /** Asks the core to close its store; kills it if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

const portOf = (child: UtilityProcess): CorePort => ({
  post: (message) => child.postMessage(message),
  onMessage: (listener) => {
    child.on('message', listener);
    return () => void child.off('message', listener);
  },
});

/** Forks the core process (call after `app` is ready). */
export function startCoreHost(options: CoreHostOptions): CoreHost {
  const listeners = new Set<(event: CoreEvent) => void>();
  let child: UtilityProcess;
  let caller: CoreCaller;
  let stopping = false;
  let restarts = 0;
  let exited: Promise<void>;

  const spawn = () => {
    child = utilityProcess.fork(options.entry, [], {
      serviceName: 'loyalty-pos-core',
      env: { ...process.env, POS_DATA_DIR: options.dataDir },
      stdio: 'inherit',
    });
    caller = createCoreCaller(portOf(child), { log: options.log });
    caller.onEvent((event) => listeners.forEach((listener) => listener(event)));
    const startedAt = Date.now();
    exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        caller.disconnect();
        resolve();
        if (stopping) return;
        // A core that ran a while is restarted at once; one that keeps dying waits up to 30 s.
        restarts = Date.now() - startedAt > 60_000 ? 0 : restarts + 1;
        const pause = Math.min(30_000, 500 * 2 ** restarts);
        options.log(`terminal core exited (code ${code}); restarting in ${pause} ms`);
        setTimeout(() => {
          if (!stopping) spawn();
        }, pause);
      }),
    );
  };
  spawn();

  return {
    call: (name, args) => caller.call(name, args),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop(graceMs = 5_000) {
      stopping = true;
      caller.stop();
      const killed = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs));
      if ((await Promise.race([exited, killed])) === 'timeout') {
        options.log('terminal core did not stop in time; killing it');
        child.kill();
        await exited;
      }
    },
  };
}

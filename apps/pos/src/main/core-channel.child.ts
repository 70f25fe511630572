// A Node child process standing in for Electron's utility process in tests: the same core
// service over the child_process IPC channel instead of `process.parentPort`.
import type { CorePort } from './core-channel.ts';
import { startCoreService } from './core-service.ts';

const send = process.send?.bind(process);
if (!send) throw new Error('core-channel.child.ts runs as a forked child with an IPC channel');
const port: CorePort = {
  post: (message) => void send(message),
  onMessage: (listener) => {
    const onMessage = (message: unknown) => listener(message);
    process.on('message', onMessage);
    return () => process.off('message', onMessage);
  },
};
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: core-channel.child.ts <dataDir>');
await startCoreService(port, { dataDir, localPort: null, autoSync: false, log: () => undefined }, () =>
  process.exit(0),
);

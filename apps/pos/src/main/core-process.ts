// Entry of the utility process that hosts the terminal core (ARCHITECTURE "The terminal": the
// core is a plain Node module; Electron only gives it a process). Electron's `process.parentPort`
// is the channel to the main process; everything else is in core-service.ts.
import type { CorePort } from './core-channel.ts';
import { startCoreService } from './core-service.ts';

const parent = process.parentPort;
const port: CorePort = {
  post: (message) => parent.postMessage(message),
  onMessage: (listener) => {
    const onMessage = (event: Electron.MessageEvent) => listener(event.data);
    parent.on('message', onMessage);
    return () => parent.off('message', onMessage);
  },
};
const log = (message: string) => console.log(`[pos core] ${message}`);
const dataDir = process.env.POS_DATA_DIR;
if (!dataDir) throw new Error('POS_DATA_DIR is not set: the main process passes the data folder');
const localPort = process.env.POS_PORT === 'off' ? null : Number(process.env.POS_PORT ?? 8765);

await startCoreService(port, { dataDir, localPort, log }, () => process.exit(0));

// Runs the shipped core-process.mjs bundle in a Node child for build-electron-bundles.test.ts.
// Electron gives a utility process `process.parentPort` (an EventEmitter of `{ data }` messages with
// postMessage); here the same shape carries the child_process IPC channel, so the bundle runs as is.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

const send = process.send?.bind(process);
const bundle = process.argv[2];
if (!send || !bundle)
  throw new Error('usage: forked with IPC, build-electron-bundles.child.ts <core-process.mjs>');
const parentPort = Object.assign(new EventEmitter(), {
  postMessage: (message: unknown) => void send(message),
});
// Like Electron's parentPort, messages wait until the first 'message' listener is registered.
const queued: unknown[] = [];
let listening = false;
process.on('message', (data: unknown) => {
  if (listening) parentPort.emit('message', { data });
  else queued.push(data);
});
parentPort.on('newListener', (event: string) => {
  if (event !== 'message' || listening) return;
  listening = true;
  setImmediate(() => queued.splice(0).forEach((data) => parentPort.emit('message', { data })));
});
Object.defineProperty(process, 'parentPort', { value: parentPort });
await import(pathToFileURL(bundle).href);

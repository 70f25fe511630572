// A stand-in network printer for tests: listens on 127.0.0.1 and keeps the bytes of each
// connection, the way a printer on port 9100 would receive a slip.
import { createServer, type AddressInfo } from 'node:net';

/** A listening capture; `next()` resolves with the bytes of the next connection once it closes. */
export type TcpPrintCapture = {
  readonly port: number;
  readonly jobs: Uint8Array[];
  next(timeoutMs?: number): Promise<Uint8Array>;
  close(): Promise<void>;
};

/** Starts listening on `port` (0 for any free port). */
export async function startTcpPrintCapture(port = 0): Promise<TcpPrintCapture> {
  const jobs: Uint8Array[] = [];
  const waiting: Array<(job: Uint8Array) => void> = [];
  let delivered = 0;
  const server = createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      const job = new Uint8Array(Buffer.concat(chunks));
      jobs.push(job);
      const waiter = waiting.shift();
      if (waiter) {
        delivered += 1;
        waiter(job);
      }
      socket.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    jobs,
    next: (timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const ready = jobs[delivered];
        if (ready) {
          delivered += 1;
          return resolve(ready);
        }
        const timer = setTimeout(() => reject(new Error('no print job arrived')), timeoutMs);
        waiting.push((job) => {
          clearTimeout(timer);
          resolve(job);
        });
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

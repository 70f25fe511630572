// A free TCP port on loopback, for servers that tests and benchmarks start themselves.
import { createServer } from 'node:net';

/** Asks the OS for a free port and releases it at once. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    server.on('error', reject);
  });
}

// A TCP proxy for fault injection between the terminal and the server (node:net, real sockets).
// It passes bytes through untouched until a fault is armed; the next request whose bytes contain
// the armed marker (e.g. `POST /api/v1/sync/push`) then meets that fault on its connection.
import { createServer, connect, type Server, type Socket } from 'node:net';

/** What happens to the next matching request. */
export const ProxyFault = {
  /** Half the request reaches the server, then both sides get a TCP reset: nothing committed. */
  resetMidRequest: 'reset-mid-request',
  /** The whole request reaches the server (which commits); its answer is dropped with a reset. */
  dropResponse: 'drop-response',
  /** The request is held, never forwarded: the client's time limit must fire. */
  stallRequest: 'stall-request',
  /** The request is forwarded (the server commits), the answer is held until the client gives up. */
  stallResponse: 'stall-response',
} as const;
export type ProxyFault = (typeof ProxyFault)[keyof typeof ProxyFault];

/** A running proxy: its URL, the faults it injected, and how to arm and close it. */
export type TcpProxy = {
  readonly url: string;
  /** Faults injected so far, in order. */
  readonly injected: ProxyFault[];
  /** The next `times` requests containing `marker` meet `fault`. */
  arm(fault: ProxyFault, marker: string, times?: number): void;
  /** Points the proxy at another upstream port (a restarted server). */
  retarget(port: number): void;
  close(): Promise<void>;
};

/** Starts a proxy on 127.0.0.1 (a free port) to `upstreamPort`. */
export async function startTcpProxy(upstreamPort: number): Promise<TcpProxy> {
  let upstream = upstreamPort;
  let armed: { fault: ProxyFault; marker: string; left: number } | null = null;
  const injected: ProxyFault[] = [];
  const sockets = new Set<Socket>();

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Resets are the point of this proxy: errors on either side just end the pair.
    socket.on('error', () => undefined);
  };

  const server: Server = createServer((client) => {
    const target = connect(upstream, '127.0.0.1');
    track(client);
    track(target);
    // Per connection: 'pass', or the fault met by the request in flight on it.
    let mode: 'pass' | ProxyFault = 'pass';
    const held: Buffer[] = [];

    client.on('data', (chunk: Buffer) => {
      if (mode === 'pass' && armed && armed.left > 0 && chunk.includes(armed.marker)) {
        mode = armed.fault;
        injected.push(armed.fault);
        if (--armed.left === 0) armed = null;
        if (mode === ProxyFault.resetMidRequest) {
          // Enough of the request for the server to start reading it, never all of it.
          target.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => {
            client.resetAndDestroy();
            target.resetAndDestroy();
          });
          return;
        }
      }
      if (mode === ProxyFault.stallRequest) held.push(chunk);
      else if (mode !== ProxyFault.resetMidRequest) target.write(chunk);
    });
    target.on('data', (chunk: Buffer) => {
      if (mode === ProxyFault.dropResponse) {
        // The server has answered, so it has committed: the terminal never hears of it.
        client.resetAndDestroy();
        target.destroy();
      } else if (mode === ProxyFault.stallResponse) held.push(chunk);
      else if (mode === 'pass') client.write(chunk);
    });
    client.on('close', () => target.destroy());
    target.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    injected,
    arm(fault, marker, times = 1) {
      armed = { fault, marker, left: times };
    },
    retarget(port) {
      upstream = port;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

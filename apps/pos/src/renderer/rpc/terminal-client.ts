// The renderer's only way to the terminal core (STYLE rule 5): `send(name, args)` typed from the
// handler map, over the Electron preload's `window.terminal` inside the shell, else over the local
// WebSocket (browser mode). Only types cross from the core; the map itself stays in the core
// process (lint-checked in eslint.config.js).
import type { HandlerArgs, HandlerName, TerminalHandlers } from '#core/handlers/terminal-handlers.ts';

/** A handler's answer: `{ ok: true, value }` or `{ ok: false, error }`. */
export type HandlerAnswer<N extends HandlerName> = Awaited<ReturnType<TerminalHandlers[N]>>;

/** An event the core pushes (sync state, pokes, cashier changes, receipts). */
export type TerminalEvent = { readonly event: string; readonly data: unknown };

/** The client of one window. */
export type TerminalClient = {
  send<N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<HandlerAnswer<N>>;
  onEvent(listener: (event: TerminalEvent) => void): () => void;
  onConnection(listener: (connected: boolean) => void): () => void;
  close(): void;
};

/** What the Electron preload exposes as `window.terminal` (apps/pos/src/preload/preload.ts). */
export type TerminalBridge = Pick<TerminalClient, 'send' | 'onEvent'>;

declare global {
  interface Window {
    /** Present only inside the Electron shell. */
    readonly terminal?: TerminalBridge;
  }
}

/** True inside the Electron shell: calls go over IPC and no local token is needed. */
export const hasTerminalBridge = (): boolean => window.terminal !== undefined;

// The bridge has no connection to lose: the main process restarts a crashed core itself and
// answers calls in flight with `terminal_disconnected`.
function bridgeClient(bridge: TerminalBridge): TerminalClient {
  const connection = new Set<(connected: boolean) => void>();
  return {
    send: (name, args) => bridge.send(name, args),
    onEvent: (listener) => bridge.onEvent(listener),
    onConnection(listener) {
      connection.add(listener);
      queueMicrotask(() => {
        if (connection.has(listener)) listener(true);
      });
      return () => connection.delete(listener);
    },
    close: () => connection.clear(),
  };
}

const RETRY_MS = 1000;

/** Uses `window.terminal` in the shell; otherwise connects to `ws(s)://<host>/ws?token=...`, reconnecting after a drop. */
export function connectTerminal(baseUrl: string, token: string): TerminalClient {
  if (window.terminal) return bridgeClient(window.terminal);
  const pending = new Map<number, { resolve: (value: unknown) => void; name: string }>();
  const events = new Set<(event: TerminalEvent) => void>();
  const connection = new Set<(connected: boolean) => void>();
  const queue: string[] = [];
  let socket: WebSocket | null = null;
  let nextId = 1;
  let closed = false;

  const url = `${baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`;
  const offline = (name: string) => ({
    ok: false as const,
    error: { code: 'terminal_disconnected', message: `Нет связи с терминалом (${name}).` },
  });

  const open = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      connection.forEach((l) => l(true));
      for (const message of queue.splice(0)) ws.send(message);
    };
    ws.onmessage = (message) => {
      const data = JSON.parse(String(message.data)) as {
        id?: number;
        result?: unknown;
      } & Partial<TerminalEvent>;
      if (typeof data.id === 'number' && pending.has(data.id)) {
        pending.get(data.id)?.resolve(data.result);
        pending.delete(data.id);
      } else if (typeof data.event === 'string') {
        const event = { event: data.event, data: data.data };
        events.forEach((l) => l(event));
      }
    };
    ws.onclose = () => {
      connection.forEach((l) => l(false));
      // Calls in flight are lost with the socket: answer them rather than hang the screen.
      for (const [id, call] of pending) {
        call.resolve(offline(call.name));
        pending.delete(id);
      }
      if (!closed) setTimeout(open, RETRY_MS);
    };
  };
  open();

  return {
    send(name, args) {
      const id = nextId++;
      const message = JSON.stringify({ id, name, args });
      return new Promise((resolve) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, name });
        if (socket?.readyState === WebSocket.OPEN) socket.send(message);
        else queue.push(message);
      });
    },
    onEvent(listener) {
      events.add(listener);
      return () => events.delete(listener);
    },
    onConnection(listener) {
      connection.add(listener);
      return () => connection.delete(listener);
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}

// The window's only door to the terminal core (STYLE rules 5 and 6): `window.terminal` with
// `send(name, args)` typed by the handler map, and `onEvent`. Nothing else of Electron or Node
// reaches the page (contextIsolation on, nodeIntegration off, sandboxed).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { HandlerArgs, HandlerName, TerminalHandlers } from '#core/handlers/terminal-handlers.ts';
import { TERMINAL_EVENT_CHANNEL, TERMINAL_SEND_CHANNEL } from './ipc-channels.ts';

/** An event of the core as the window receives it. */
type TerminalEvent = { readonly event: string; readonly data: unknown };

/** What `window.terminal` must be: exactly the handler map's names and arguments, nothing more. */
type TerminalBridge = {
  readonly send: <N extends HandlerName>(
    name: N,
    args: HandlerArgs<N>,
  ) => Promise<Awaited<ReturnType<TerminalHandlers[N]>>>;
  readonly onEvent: (listener: (event: TerminalEvent) => void) => () => void;
};

const bridge = {
  send: <N extends HandlerName>(name: N, args: HandlerArgs<N>) =>
    ipcRenderer.invoke(TERMINAL_SEND_CHANNEL, name, args) as Promise<
      Awaited<ReturnType<TerminalHandlers[N]>>
    >,
  onEvent: (listener: (event: TerminalEvent) => void) => {
    // The page gets the event alone, never Electron's IpcRendererEvent (it holds the sender).
    const forward = (_event: IpcRendererEvent, payload: TerminalEvent) => listener(payload);
    ipcRenderer.on(TERMINAL_EVENT_CHANNEL, forward);
    return () => void ipcRenderer.off(TERMINAL_EVENT_CHANNEL, forward);
  },
} satisfies TerminalBridge;

// `send` takes every handler name and only those: a name the map does not have fails to compile.
type SendNames = Parameters<typeof bridge.send>[0];
const exactNames: [SendNames] extends [HandlerName]
  ? [HandlerName] extends [SendNames]
    ? true
    : false
  : false = true;
void exactNames;

contextBridge.exposeInMainWorld('terminal', bridge);

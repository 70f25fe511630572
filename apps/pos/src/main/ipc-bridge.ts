// Carries `window.terminal.send` from the preload to the core host, and the core's events back to
// the window. Only the window's own page may call: a frame of any other origin gets a refusal.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { TERMINAL_EVENT_CHANNEL, TERMINAL_SEND_CHANNEL } from '#preload/ipc-channels.ts';
import type { CoreHost } from './core-host.ts';
import { isAppUrl } from './shell-policy.ts';

const refusal = (message: string) => ({ ok: false as const, error: { code: 'invalid_input', message } });

/** Bridges `window`'s calls and events to `host`; returns the function that removes the bridge. */
export function bridgeTerminal(window: BrowserWindow, host: CoreHost): () => void {
  ipcMain.handle(TERMINAL_SEND_CHANNEL, (event: IpcMainInvokeEvent, name: unknown, args: unknown) => {
    if (event.sender !== window.webContents || !isAppUrl(event.senderFrame?.url ?? ''))
      return refusal('Команды терминала принимаются только от окна кассы.');
    if (typeof name !== 'string' || name.length === 0 || name.length > 100)
      return refusal('Команда терминала должна быть строкой с именем обработчика.');
    return host.call(name, args ?? {});
  });
  const offEvents = host.onEvent((event) => {
    if (!window.isDestroyed()) window.webContents.send(TERMINAL_EVENT_CHANNEL, event);
  });
  return () => {
    ipcMain.removeHandler(TERMINAL_SEND_CHANNEL);
    offEvents();
  };
}

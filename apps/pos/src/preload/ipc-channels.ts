// Names of the two IPC channels between the preload and the main process; the main process
// imports this file (constants only), so both ends always agree.

/** Renderer -> main: `invoke(SEND, name, args)` answers the handler's `{ ok, value | error }`. */
export const TERMINAL_SEND_CHANNEL = 'terminal:send';
/** Main -> renderer: the core's status events `{ event, data }`. */
export const TERMINAL_EVENT_CHANNEL = 'terminal:event';

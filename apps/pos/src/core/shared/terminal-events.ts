// Status events the core announces to whoever listens (the WebSocket clients, later the Electron
// renderer): sync state changes, pokes applied, the cashier logging in or out.
import { EventEmitter } from 'node:events';

/** An event pushed to the UI: a name and plain JSON data. */
export type TerminalEvent = { readonly event: string; readonly data: unknown };

/** A small typed wrapper over EventEmitter with one channel. */
export class TerminalEvents {
  private readonly emitter = new EventEmitter();
  constructor() {
    // Every open WebSocket subscribes; a busy till may have a few tabs or integrations attached.
    this.emitter.setMaxListeners(100);
  }
  emit(event: string, data: unknown): void {
    this.emitter.emit('event', { event, data } satisfies TerminalEvent);
  }
  subscribe(listener: (event: TerminalEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

// One way in for every scanner: keyboard-wedge scans (through the wedge router) and scans of the
// serial and HID POS scanners the core runs (pushed over the WebSocket as `scan` events) go to the
// same handler, so a product, a card or a buyer QR is handled alike whichever scanner read it.
import { z } from 'zod';
import type { TerminalClient } from '#renderer/rpc/terminal-client.ts';
import { installWedgeRouter, type WedgeRoutes } from './wedge-router.ts';

// The event crosses a process boundary: checked before it reaches a handler.
const scanEventSchema = z.object({ code: z.string().min(1).max(8192) });

/** Routes wedge and device scans to `routes().onScan`; returns the function that stops both. */
export function installScanRouting(client: TerminalClient, routes: () => WedgeRoutes): () => void {
  const stopWedge = installWedgeRouter(routes);
  const stopDevices = client.onEvent((event) => {
    if (event.event !== 'scan') return;
    const parsed = scanEventSchema.safeParse(event.data);
    if (parsed.success) routes().onScan(parsed.data.code);
  });
  return () => {
    stopWedge();
    stopDevices();
  };
}

// The terminal core of `npm run bench -- pos` in browser mode, in a process of its own as a till
// runs it (`npm start -w @loyalty/pos`): the page talks to it over the local WebSocket while the
// parent drives Chromium. It times every handler call in this process (what a scan costs the
// core) and, on request, profiles the core alone on one scan (where that time goes).
import { mkdtempSync, rmSync } from 'node:fs';
import type { Runtime } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTerminalCore, type TerminalCore } from '../../apps/pos/src/core/terminal-core.ts';
import { startLocalServer } from '../../apps/pos/src/core/transport/local-server.ts';
import { quantile } from './stats.ts';

/** A handler call of the core, timed in this process. */
export type CoreCall = { name: string; ms: number };

/** The commands the parent sends. */
export type PosCoreCommand =
  | {
      cmd: 'start';
      serverUrl: string;
      pairingCode: string;
      cashierCode: string;
      staticDir: string;
      token: string;
    }
  /** The calls since the last `calls`. */
  | { cmd: 'calls' }
  /** Profiles `calls` scans of `code` on a receipt of the products with `barcodes`. */
  | { cmd: 'profile'; barcodes: string[]; code: string; calls: number }
  | { cmd: 'close' };

const dir = mkdtempSync(join(tmpdir(), 'pos-bench-core-'));
let core: TerminalCore | null = null;
let closeServer: (() => Promise<void>) | null = null;
const calls: CoreCall[] = [];

/** Times every handler call (the local server reads the map at each call). */
function timeHandlers(of: TerminalCore): void {
  const handlers = of.handlers as unknown as Record<string, (args: unknown) => Promise<unknown>>;
  for (const [name, run] of Object.entries(handlers))
    handlers[name] = async (args) => {
      const start = performance.now();
      try {
        return await run(args);
      } finally {
        calls.push({ name, ms: performance.now() - start });
      }
    };
}

/** Where a profile sample's time goes, by the code it was in. */
function category(frame: Runtime.CallFrame): string {
  if (frame.url.includes('/packages/core/')) return 'engine';
  if (frame.url.includes('/apps/pos/src/core/')) return 'core';
  if (frame.url.includes('/node_modules/zod/')) return 'zod';
  if (frame.url.includes('better-sqlite3')) return 'sqlite_js';
  if (frame.functionName === '(garbage collector)') return 'gc';
  if (frame.functionName.startsWith('(')) return 'idle';
  // Functions without a script: V8 builtins (JSON among them) and better-sqlite3's statements.
  if (frame.url === '') return 'native';
  return 'other';
}

/** Per call: the wall time (p50) and the self time of each category (engine = packages/core). */
async function profileScans(of: TerminalCore, barcodes: string[], code: string, count: number) {
  const lines: { productId: string; quantity: number }[] = [];
  for (const barcode of barcodes) {
    const found = await of.handlers['catalogue.byBarcode']({ barcode });
    const product = found.ok ? found.value.products[0] : undefined;
    if (!product) throw new Error(`no product for ${barcode}`);
    lines.push({ productId: product.id, quantity: 1000 });
  }
  const scanOnce = async () => {
    const answer = await of.handlers['sale.scan']({ code, lines, pointsToPay: 0 });
    if (!answer.ok) throw new Error(answer.error.message);
    return JSON.stringify(answer).length;
  };
  for (let i = 0; i < 50; i++) await scanOnce();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    bytes = await scanOnce();
    times.push(performance.now() - start);
  }
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const byNode = new Map(profile.nodes.map((node) => [node.id, category(node.callFrame)]));
  const self: Record<string, number> = {};
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, k) => {
    const key = byNode.get(id) ?? 'other';
    self[key] = (self[key] ?? 0) + (deltas[k + 1] ?? 0) / 1000 / count;
  });
  delete self.idle;
  return { wall_p50: quantile(times, 0.5), answer_bytes: bytes, ...self };
}

async function run(command: PosCoreCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'start': {
      const started = createTerminalCore({ dataDir: join(dir, 'core') });
      core = started;
      await started.handlers['settings.set']({ local: { printer: { transport: 'none' } } });
      const paired = await started.handlers['pairing.pair']({
        serverUrl: command.serverUrl,
        code: command.pairingCode,
      });
      if (!paired.ok) throw new Error(paired.error.message);
      const synced = await started.handlers['sync.now']({});
      if (!synced.ok) throw new Error(synced.error.message);
      const login = await started.handlers['cashier.login']({ code: command.cashierCode });
      if (!login.ok) throw new Error(login.error.message);
      timeHandlers(started);
      const local = await startLocalServer({
        core: started,
        token: command.token,
        port: 0,
        staticDir: command.staticDir,
      });
      closeServer = () => local.close();
      return { url: local.url };
    }
    case 'calls':
      return calls.splice(0);
    case 'profile':
      if (!core) throw new Error('the core is not started');
      return profileScans(core, command.barcodes, command.code, command.calls);
    case 'close':
      await closeServer?.();
      await core?.close();
      rmSync(dir, { recursive: true, force: true });
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (message: { id: number } & PosCoreCommand) => {
  run(message).then(
    (value) => process.send?.({ id: message.id, ok: true, value }),
    (error: unknown) => process.send?.({ id: message.id, ok: false, error: String(error) }),
  );
});
process.send?.({ id: 0, ok: true, value: 'ready' });

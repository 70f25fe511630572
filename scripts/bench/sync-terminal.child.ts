// The terminal core of `npm run bench -- sync`, in a child process of its own so that its peak
// resident memory (VmHWM) is the terminal's alone. The parent drives it over IPC: one request,
// one answer, `{ id, cmd, ... }` -> `{ id, ok, value | error }`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTerminalCore, type TerminalCore } from '../../apps/pos/src/core/terminal-core.ts';
import { outboxCounts } from '../../apps/pos/src/core/store/outbox.repository.ts';

/** The commands the parent sends. */
export type ChildCommand =
  | { cmd: 'pair'; serverUrl: string; code: string }
  | { cmd: 'login'; code: string }
  | { cmd: 'online' }
  | { cmd: 'awaitDiscount'; sku: string; discount: number }
  | { cmd: 'sell'; count: number; sku: string; buyers: number }
  | { cmd: 'push' }
  | { cmd: 'close' };

const dir = mkdtempSync(join(tmpdir(), 'bench-pos-'));
let core: TerminalCore = createTerminalCore({ dataDir: dir, autoSync: false });
let cashierCode = '';

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Reopens the core over the same folder, with or without background sync. */
async function reopen(autoSync: boolean): Promise<void> {
  await core.close();
  core = createTerminalCore({ dataDir: dir, autoSync, periodicSyncMs: 3_600_000 });
  const login = await core.handlers['cashier.login']({ code: cashierCode });
  if (!login.ok) throw new Error(login.error.message);
}

async function run(command: ChildCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'pair': {
      const paired = await core.handlers['pairing.pair']({
        code: command.code,
        serverUrl: command.serverUrl,
      });
      if (!paired.ok) throw new Error(paired.error.message);
      const start = process.hrtime.bigint();
      const synced = await core.handlers['sync.now']({});
      if (!synced.ok) throw new Error(synced.error.message);
      return { seconds: seconds(start), pulled: synced.value.pulled };
    }
    case 'login': {
      cashierCode = command.code;
      const login = await core.handlers['cashier.login']({ code: command.code });
      if (!login.ok) throw new Error(login.error.message);
      return null;
    }
    case 'online':
      // Background sync: the SSE listener pulls on every poke.
      await reopen(true);
      for (let i = 0; i < 200 && !core.ctx.sync.state().eventsConnected; i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
      if (!core.ctx.sync.state().eventsConnected) throw new Error('events stream did not connect');
      return null;
    case 'awaitDiscount': {
      // Prices the receipt until the till sees the new promotion; answers when (epoch ms).
      const deadline = Date.now() + 30_000;
      for (;;) {
        const priced = await core.handlers['sale.calculate']({
          lines: [{ productId: command.sku, quantity: 1000 }],
        });
        if (!priced.ok) throw new Error(priced.error.message);
        if (priced.value.calculation.totals.discount === command.discount) return Date.now();
        if (Date.now() > deadline) throw new Error('the promotion did not reach the terminal in 30 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    case 'sell': {
      // Queued receipts: background sync off, so nothing is pushed until `push`.
      await reopen(false);
      const buyerIds = core.ctx.db
        .prepare<[number], { id: string }>('SELECT id FROM cache_buyers ORDER BY id LIMIT ?')
        .all(command.buyers)
        .map((row) => row.id);
      for (let i = 0; i < command.count; i++) {
        const sale = await core.handlers['sale.commit']({
          buyerId: buyerIds[i % buyerIds.length],
          identifiedBy: 'manual',
          lines: [{ productId: command.sku, quantity: 1000 * (1 + (i % 3)) }],
        });
        if (!sale.ok) throw new Error(sale.error.message);
      }
      return outboxCounts(core.ctx.db);
    }
    case 'push': {
      const start = process.hrtime.bigint();
      const pushed = await core.ctx.sync.syncNow({ pullStreams: [] });
      if (!pushed.ok) throw new Error(pushed.error.message);
      return { seconds: seconds(start), pushed: pushed.value.pushed, outbox: outboxCounts(core.ctx.db) };
    }
    case 'close':
      await core.close();
      rmSync(dir, { recursive: true, force: true });
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (message: { id: number } & ChildCommand) => {
  run(message).then(
    (value) => process.send?.({ id: message.id, ok: true, value }),
    (error: unknown) => process.send?.({ id: message.id, ok: false, error: String(error) }),
  );
});
process.send?.({ id: 0, ok: true, value: 'ready' });

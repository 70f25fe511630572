// Child process of the terminal crash tests: opens the paired terminal in <dataDir>, sells
// <sales> receipts to <buyerId> and syncs. The test arms LOYALTY_TEST_CRASH_AT, so the process
// dies by SIGKILL inside that sync (exiting normally means the crash point was never reached).
import { createTerminalCore } from '#core/terminal-core.ts';

const [dir, buyerId, sales, cashierCode, productSku] = process.argv.slice(2);
if (!dir || !buyerId || !sales || !cashierCode || !productSku)
  throw new Error('usage: fault-terminal.script.ts <dataDir> <buyerId> <sales> <cashierCode> <productSku>');
const core = createTerminalCore({ dataDir: dir, autoSync: false });
const login = await core.handlers['cashier.login']({ code: cashierCode });
if (!login.ok) throw new Error(login.error.message);
for (let i = 0; i < Number(sales); i++) {
  const sale = await core.handlers['sale.commit']({
    buyerId,
    identifiedBy: 'manual',
    lines: [{ productId: productSku, quantity: 1000 }],
  });
  if (!sale.ok) throw new Error(sale.error.message);
}
const synced = await core.handlers['sync.now']({});
console.error(`sync finished without a crash: ${JSON.stringify(synced)}`);
await core.close();

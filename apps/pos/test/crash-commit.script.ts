// Child process of the crash test: commits one sale, then dies by SIGKILL inside the transaction
// of the second, after its rows are written and before the commit.
import { commitArgsSchema } from '#core/sale/sale.schema.ts';
import { commitSale } from '#core/sale/sale-commit.ts';
import { createTerminalCore } from '#core/terminal-core.ts';

const [dir, code] = process.argv.slice(2);
if (!dir || !code) throw new Error('usage: crash-commit.script.ts <dataDir> <cashierCode>');
const core = createTerminalCore({ dataDir: dir, autoSync: false });
const login = await core.handlers['cashier.login']({ code });
if (!login.ok) throw new Error(login.error.message);
const first = await core.handlers['sale.commit']({
  lines: [{ productId: '0195a000-0000-7000-8000-0000000000a1', quantity: 1000 }],
});
if (!first.ok) throw new Error(first.error.message);
await commitSale(
  core.ctx,
  commitArgsSchema.parse({ lines: [{ productId: '0195a000-0000-7000-8000-0000000000a2', quantity: 1000 }] }),
  () => process.kill(process.pid, 'SIGKILL'),
);

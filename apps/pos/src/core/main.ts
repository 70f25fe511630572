// Browser mode from the command line: the terminal core with its local HTTP/WebSocket server.
// `npm start -w @loyalty/pos` (or `npx tsx apps/pos/src/core/main.ts`); settings by environment.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTerminalCore } from '#core/terminal-core.ts';
import { loadOrCreateLocalToken } from '#core/transport/local-token.ts';
import { startLocalServer } from '#core/transport/local-server.ts';
import { setServerUrl, getIdentity } from '#core/store/identity.repository.ts';

const dataDir = resolve(process.env.POS_DATA_DIR ?? resolve(import.meta.dirname, '../../../../.data/pos'));
const port = Number(process.env.POS_PORT ?? 8765);
const log = (message: string) => console.log(`[pos] ${message}`);

const core = createTerminalCore({ dataDir, log });
if (process.env.POS_SERVER_URL && !getIdentity(core.ctx.db).serverUrl)
  setServerUrl(core.ctx.db, process.env.POS_SERVER_URL);
// The demo (`npm start`) hands the till a pairing code: pair once, then pull everything.
const demoCode = process.env.POS_PAIRING_CODE;
if (demoCode && getIdentity(core.ctx.db).status !== 'paired') {
  const paired = await core.handlers['pairing.pair']({ code: demoCode });
  if (paired.ok) await core.handlers['sync.now']({});
  else log(`подключение не удалось: ${paired.error.message}`);
}
const token = loadOrCreateLocalToken(dataDir);
// The renderer build, when present (`npm run build -w @loyalty/pos`), is served at /.
const staticDir = resolve(import.meta.dirname, '../../dist/renderer');
const server = await startLocalServer({
  core,
  token,
  port,
  log,
  ...(existsSync(resolve(staticDir, 'index.html')) ? { staticDir } : {}),
});

const identity = getIdentity(core.ctx.db);
console.log(`Терминал (браузерный режим): ${server.url}`);
console.log(`  касса в браузере: ${server.url}/#token=${token}`);
if (process.env.POS_DEMO_CASHIER_CODE)
  console.log(`  код кассира:     ${process.env.POS_DEMO_CASHIER_CODE} (демо)`);
console.log(`  данные:          ${dataDir}`);
console.log(`  локальный токен: ${token}`);
console.log(`  сервер:          ${identity.serverUrl ?? '(не задан: settings.set { serverUrl })'}`);
console.log(
  `  подключение:     ${identity.status}${identity.terminalId ? ` (терминал ${identity.terminalId})` : ''}`,
);
console.log(
  `  пример: curl -s -X POST ${server.url}/rpc/terminal.status -H "Authorization: Bearer ${token}"`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.close();
  await core.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

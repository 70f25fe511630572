// `npm start` also runs one demo till in browser mode (apps/pos), so a newcomer can sell within a
// minute of cloning. The till is a separate process, exactly as on a real workstation; it pairs
// itself with the code created here. DEMO_TILL=0 turns it off.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Db } from '#db/database.ts';
import { DEMO_CASHIERS } from './demo-staff.ts';
import { demoTerminalPairingCode } from './demo-terminal.ts';

/** The running demo till. */
export type DemoTill = { stop(): Promise<void> };

const TILL_MAIN = fileURLToPath(new URL('../../../pos/src/core/main.ts', import.meta.url));

/** Starts the till beside the server at `serverUrl`; null when turned off. */
export async function startDemoTill(db: Db, serverUrl: string, logger: Logger): Promise<DemoTill | null> {
  if (process.env.DEMO_TILL === '0') return null;
  const code = await demoTerminalPairingCode(db);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', TILL_MAIN], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      POS_SERVER_URL: serverUrl,
      // The till sits in the first store: print a code of a cashier who works there.
      POS_DEMO_CASHIER_CODE: DEMO_CASHIERS[0]?.code ?? '',
      ...(code ? { POS_PAIRING_CODE: code } : {}),
    },
  });
  child.on('exit', (status) => {
    if (status) logger.warn({ status }, 'demo till exited');
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

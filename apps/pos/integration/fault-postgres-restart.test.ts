// PostgreSQL restarted while a terminal pushes. The test runs its own embedded PostgreSQL (the
// shared one serves other test files at the same time) and really stops and starts it; the
// server in this process loses every connection, answers errors meanwhile, and must serve the
// terminal's retries once the database is back, with every receipt booked once.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/src/db/embedded-postgres.ts';
import { migrateToLatest } from '../../server/src/db/migrate.ts';
import { freePort } from '../../server/test/free-port.ts';
import { createTestApp, type TestApp } from '../../server/test/test-app.ts';
import { createTerminalCore, type TerminalCore } from '../src/core/terminal-core.ts';
import {
  expectRecovered,
  faultShop,
  outboxStatuses,
  pairedCore,
  sell,
  terminalIdOf,
  waitFor,
  type FaultShop,
} from './fault-fixture.ts';

const SALES = 300;
const quiet = { info: () => undefined, warn: () => undefined };

let folder: string;
let port: number;
let postgres: EmbeddedDatabase | undefined;
let t: TestApp;
let s: FaultShop;
let serverUrl: string;
let core: TerminalCore | undefined;
let dir: string | undefined;

const startPostgres = () =>
  startEmbeddedPostgres({ dataDir: join(folder, 'data'), port, database: 'loyalty', log: quiet });

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'pos-fault-pg-'));
  // PostgreSQL runs as its own user when the tests run as root: it must reach the folder.
  await chmod(folder, 0o755);
  port = await freePort();
  postgres = await startPostgres();
  // Idle connections die with the restart; the pool drops them and opens new ones.
  const db = openDatabase(postgres.url, 10, () => undefined);
  await migrateToLatest(db);
  t = await createTestApp({ db, url: postgres.url, drop: () => db.destroy() });
  s = await faultShop(t);
  serverUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await core?.close();
  await t?.close();
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('PostgreSQL restarted', () => {
  it('while a terminal pushes: the retries after the restart book every receipt once', async () => {
    const seller = await pairedCore(s, serverUrl);
    dir = seller.dir;
    const [a, b] = s.buyerIds as [string, string];
    for (let i = 0; i < SALES; i++) await sell(seller, i % 2 === 0 ? a : b, i % 10 === 0 ? 1_00 : 0);
    const terminalId = terminalIdOf(seller);
    await seller.close();

    // Background sync on: the core pushes at once, and only its own retries may finish the job.
    core = createTerminalCore({ dataDir: dir, periodicSyncMs: 3_600_000 });
    const applied = async () =>
      Number(
        (
          await t.db
            .selectFrom('sync_ops')
            .select((e) => e.fn.countAll<number>().as('n'))
            .where('terminal_id', '=', terminalId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    await waitFor(async () => (await applied()) >= 20, 20_000);
    await postgres?.stop();
    postgres = undefined;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(outboxStatuses(core).pending).toBeGreaterThan(0);
    postgres = await startPostgres();
    const during = await applied();
    expect(during).toBeGreaterThanOrEqual(20);
    expect(during).toBeLessThan(SALES);

    const live = core;
    await waitFor(() => (outboxStatuses(live).pending ?? 0) === 0 && !live.ctx.sync.state().syncing, 40_000);
    expect(live.ctx.sync.state().lastError).toBeNull();
    await expectRecovered(t.db, live, s.buyerIds);
  }, 120_000); // a restart of a server or PostgreSQL on a loaded 2-core CI machine can take most of a minute
});

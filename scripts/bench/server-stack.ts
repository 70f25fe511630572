// The start-up the terminal benchmarks share (`sync` and `pos`): the server fixture's database,
// the real server process on it, an owner's cabinet session over real HTTP, and a new terminal
// with a cashier to pair with. One copy, so the two benchmarks start the same system.
import { sql } from 'kysely';
import type { ChildProcess } from 'node:child_process';
import { hashSecret } from '../../apps/server/src/auth/secrets.ts';
import { startServer } from './server.bench.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';

const PASSWORD = 'bench password 2026';

/** A cabinet call over real HTTP with the owner's cookie and CSRF token; the parsed JSON answer. */
export type Cabinet = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** The running server and how to stop it. */
export type ServerStack = {
  fixture: ServerFixture;
  server: { child: ChildProcess; base: string };
  api: Cabinet;
  /** Stops the server process and the database (and removes the embedded PostgreSQL's folder). */
  stop(): Promise<void>;
};

/** Logs an owner made for the benchmark into the cabinet. */
async function ownerSession(fixture: ServerFixture, base: string, email: string): Promise<Cabinet> {
  await fixture.db
    .insertInto('users')
    .values({
      merchant_id: fixture.merchantId,
      email,
      name: 'Владелец',
      role: 'owner',
      password_hash: await hashSecret(PASSWORD),
    })
    .execute();
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text === '' ? null : (JSON.parse(text) as unknown);
  };
}

/**
 * Starts the database with `buyers` buyers and the server on it, and logs an owner in.
 * `analyse`: what autovacuum does minutes after a bulk import; without statistics the planner
 * takes many fresh rows for a handful and reads whole streams for every page.
 */
export async function startServerStack(options: {
  buyers: number;
  ownerEmail: string;
  analyse?: boolean;
}): Promise<ServerStack> {
  const fixture = await serverFixture(options.buyers);
  if (options.analyse) await sql`VACUUM ANALYZE`.execute(fixture.db);
  let server: ServerStack['server'] | null = null;
  const stop = async () => {
    if (server) {
      const { child } = server;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await exited;
    }
    await fixture.close();
  };
  try {
    server = await startServer(fixture);
    const api = await ownerSession(fixture, server.base, options.ownerEmail);
    return { fixture, server, api, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A cashier with `cashierCode` and a new terminal in the fixture's store; the terminal's pairing code. */
export async function addTill(
  stack: Pick<ServerStack, 'api' | 'fixture'>,
  options: { cashierCode: string; name: string },
): Promise<string> {
  await stack.api('POST', '/api/v1/cashiers', {
    name: 'Кассир',
    storeId: stack.fixture.storeId,
    code: options.cashierCode,
  });
  const { pairingCode } = (await stack.api('POST', '/api/v1/terminals', {
    storeId: stack.fixture.storeId,
    name: options.name,
  })) as { pairingCode: string };
  return pairingCode;
}

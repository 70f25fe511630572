// One real PostgreSQL for the whole server test run: TEST_DATABASE_URL when given (an admin
// connection to any PostgreSQL 13+), else an embedded one in a temporary folder.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.ts';
import { freePort } from './free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('adminDatabaseUrl', given);
    return () => Promise.resolve();
  }
  const folder = await mkdtemp(join(tmpdir(), 'loyalty-test-pg-'));
  // mkdtemp makes a 0700 folder; PostgreSQL runs as its own user and must reach the data inside.
  await chmod(folder, 0o755);
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({
    dataDir: join(folder, 'data'),
    port: await freePort(),
    database: 'postgres',
    log: { info: () => undefined, warn: (m) => console.warn(m) },
  });
  project.provide('adminDatabaseUrl', embedded.url);
  return async () => {
    await embedded.stop();
    await rm(folder, { recursive: true, force: true });
  };
}

// The Kysely instance over a pg pool. int8 columns hold kopecks and points: they are parsed to
// numbers (every amount we store stays far below 2^53).
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database-schema.ts';
import { PreparingClient } from './prepared-statements.ts';

pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/** The typed database handle every repository takes first. */
export type Db = Kysely<Database>;

/** Opens a pool to `url`. */
export function openDatabase(url: string, maxConnections = 20, onIdleError?: (error: Error) => void): Db {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, Client: PreparingClient });
  // An idle connection dropped by the server (restart, shutdown) must not crash the process;
  // the pool replaces it on the next checkout.
  pool.on('error', (error) => onIdleError?.(error));
  // pg-pool listens for errors only while a client is idle; one checked out between two queries
  // (inside a transaction) that loses its connection (PostgreSQL restarted) would emit 'error'
  // with no listener and crash the process. The failed client's next query rejects instead, and
  // the pool discards it on release.
  pool.on('connect', (client) => client.on('error', (error) => onIdleError?.(error)));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

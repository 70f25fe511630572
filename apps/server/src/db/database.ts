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

/**
 * Per database handle, a second small pool whose connections always reuse the one plan of a
 * prepared statement (plan_cache_mode=force_generic_plan). For the grouped hot reads (the
 * confirms' posting read): their keys come as arrays, whose lengths make PostgreSQL plan every
 * run afresh as a custom plan - about as long as running it - though the plan never changes.
 * A separate pool, because on the main pool the setting would also fix the plans of queries
 * whose best plan does depend on their values (the buyers search).
 */
const genericPlanDbs = new WeakMap<Db, Db>();

/** Connections of the generic-plan pool: the grouped reads are one statement per turn. */
const GENERIC_PLAN_CONNECTIONS = 3;

function openPool(
  url: string,
  max: number,
  onIdleError: ((error: Error) => void) | undefined,
  options?: string,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    Client: PreparingClient,
    ...(options ? { options } : {}),
  });
  // An idle connection dropped by the server (restart, shutdown) must not crash the process;
  // the pool replaces it on the next checkout.
  pool.on('error', (error) => onIdleError?.(error));
  // pg-pool listens for errors only while a client is idle; one checked out between two queries
  // (inside a transaction) that loses its connection (PostgreSQL restarted) would emit 'error'
  // with no listener and crash the process. The failed client's next query rejects instead, and
  // the pool discards it on release.
  pool.on('connect', (client) => client.on('error', (error) => onIdleError?.(error)));
  return pool;
}

/** Opens a pool to `url` (and, on first use, the generic-plan pool beside it). */
export function openDatabase(url: string, maxConnections = 20, onIdleError?: (error: Error) => void): Db {
  const pool = openPool(url, maxConnections, onIdleError);
  let generic: pg.Pool | null = null;
  const genericPool = () =>
    (generic ??= openPool(
      url,
      GENERIC_PLAN_CONNECTIONS,
      onIdleError,
      '-c plan_cache_mode=force_generic_plan',
    ));
  // Destroying the handle closes both pools.
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: {
        connect: () => pool.connect(),
        end: async () => {
          await Promise.all([pool.end(), generic?.end()]);
        },
      },
    }),
  });
  genericPlanDbs.set(
    db,
    new Kysely<Database>({
      dialect: new PostgresDialect({
        // Opened lazily (most handles never read in groups); ended with the main handle.
        pool: { connect: () => genericPool().connect(), end: () => Promise.resolve() },
      }),
    }),
  );
  return db;
}

/** The handle whose prepared statements always run their one generic plan (see above). */
export function genericPlanDb(db: Db): Db {
  return genericPlanDbs.get(db) ?? db;
}

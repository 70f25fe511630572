// Starts the server: configuration, database (embedded unless DATABASE_URL), migrations, demo
// data on an empty database, HTTP; and stops it all cleanly on SIGINT/SIGTERM.
import { pino } from 'pino';
import { buildApp } from './app.ts';
import { loadConfig } from '#config/config.ts';
import { openDatabase } from '#db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '#db/embedded-postgres.ts';
import { migrateToLatest } from '#db/migrate.ts';
import { seedDemoIfEmpty } from '#demo/demo-seed.ts';
import { startDemoTill, type DemoTill } from '#demo/demo-till.ts';
import { startJobs } from '#jobs/jobs.ts';

const config = loadConfig();
const logger = pino({
  level: config.LOG_LEVEL,
  redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
});

let embedded: EmbeddedDatabase | null = null;
if (!config.DATABASE_URL) {
  embedded = await startEmbeddedPostgres({
    dataDir: config.DATA_DIR,
    port: config.EMBEDDED_PG_PORT,
    database: 'loyalty',
    log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) },
  });
}
let stopping = false;
const databaseUrl = config.DATABASE_URL ?? embedded?.url ?? '';
const db = openDatabase(databaseUrl, config.DB_POOL_MAX, (error) =>
  // While stopping, PostgreSQL closing its connections is expected, not worth a warning.
  stopping
    ? undefined
    : logger.warn(
        { code: (error as { code?: string }).code, msg: error.message },
        'idle database connection lost',
      ),
);
await migrateToLatest(db);
const jobs = await startJobs(databaseUrl, db, logger, () => stopping);
const demo = config.DEMO ? await seedDemoIfEmpty(db, logger) : null;
const app = await buildApp({
  db,
  logger,
  secureCookies: config.SECURE_COOKIES,
  databaseUrl,
  cabinetDir: config.CABINET_DIR,
  publicUrl: config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`,
});
const address = await app.listen({ port: config.PORT, host: config.HOST });

const base = address.replace('127.0.0.1', 'localhost');
const lines = [
  '',
  `  Loyalty server:   ${base}`,
  `  Cabinet:          ${base}/`,
  `  API docs:         ${base}/api/docs`,
  `  OpenAPI:          ${base}/api/v1/openapi.json`,
  `  Database:         ${config.DATABASE_URL ? 'external (DATABASE_URL)' : `embedded, data in ${config.DATA_DIR}`}`,
];
if (demo) {
  lines.push(`  Demo owner login: ${demo.email} / ${demo.password}`);
  for (const user of demo.users.filter((u) => u.email !== demo.email))
    lines.push(`  Demo ${user.role} login: ${user.email} / ${user.password}`);
  if (demo.cashiers.length > 0) lines.push('  Cashier access codes (till):');
  for (const cashier of demo.cashiers)
    lines.push(
      `    ${cashier.code}  ${cashier.name}${cashier.role === 'senior' ? ' (senior)' : ''}, ${cashier.store}`,
    );
}
process.stdout.write(`${lines.join('\n')}\n\n`);
// The demo till (browser mode) beside the server, paired to the demo merchant's first store.
const till: DemoTill | null = demo ? await startDemoTill(db, address, logger) : null;

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // Stop taking requests, let the ones in flight finish, then release the database.
  await till?.stop();
  await app.close();
  await jobs.stop();
  await db.destroy();
  if (embedded) await embedded.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

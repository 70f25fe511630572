// Server configuration from the environment, validated once at start-up.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** An external PostgreSQL; without it the server runs its own embedded one. */
  DATABASE_URL: z.string().url().optional(),
  /** Where the embedded PostgreSQL keeps its data between runs. */
  DATA_DIR: z.string().min(1).default(`${repositoryRoot}.data/postgres`),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65_535).default(54_329),
  /** Connections to PostgreSQL per server instance; on few cores fewer connections contend less. */
  DB_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Create the demo merchant on an empty database. */
  DEMO: z
    .enum(['0', '1', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  /** The cabinet build the server serves at `/` (skipped when the folder holds no build). */
  CABINET_DIR: z.string().min(1).default(`${repositoryRoot}apps/cabinet/dist`),
  /** The cabinet's public address (https://loyalty.example.ru), used in links sent by mail. */
  PUBLIC_URL: z.url().optional(),
  /** Cookies get the Secure flag when the cabinet is served over HTTPS. */
  SECURE_COOKIES: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
});

/** The validated configuration. */
export type Config = z.output<typeof envSchema>;

/** Reads the configuration; a bad value stops the start with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
